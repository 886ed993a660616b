//! Keeps third-party reader panics quiet.
//!
//! A PDF or email library may panic on a hostile file. The extractor catches that and records
//! a status; this module stops the default hook from also printing a Rust backtrace at the
//! user. Panics outside a guarded reader still print as usual (they are our bugs).

use std::cell::Cell;

thread_local! {
    static QUIET: Cell<bool> = const { Cell::new(false) };
}

struct Reset(bool);

impl Drop for Reset {
    fn drop(&mut self) {
        QUIET.with(|q| q.set(self.0));
    }
}

/// Installs the hook once, at start-up.
pub fn install_hook() {
    let default = std::panic::take_hook();
    std::panic::set_hook(Box::new(move |info| {
        if QUIET.with(Cell::get) {
            return;
        }
        default(info)
    }));
}

/// Runs `f` with panic messages silenced on this thread.
pub fn quietly<T>(f: impl FnOnce() -> T) -> T {
    let previous = QUIET.with(|q| q.replace(true));
    let _reset = Reset(previous);
    f()
}
