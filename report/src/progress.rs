//! A progress line on stderr, drawn only when stderr is a terminal: in a log it would be
//! one long line of carriage returns and escape codes.

use std::io::IsTerminal;

#[derive(Default)]
pub struct Progress {
    terminal: bool,
}

impl Progress {
    /// Draws when stderr is a terminal (the `Default` never draws).
    pub fn new() -> Progress {
        Progress {
            terminal: std::io::stderr().is_terminal(),
        }
    }

    pub fn show(&self, what: &str) {
        if self.terminal {
            eprint!("\r\x1b[2K{what}");
        }
    }

    pub fn clear(&self) {
        if self.terminal {
            eprint!("\r\x1b[2K");
        }
    }
}
