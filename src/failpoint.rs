//! Places where a test may stop casebinder dead, as a kill or a power cut would, to show that
//! what is on disk afterwards is still whole, or hold it a moment while the folder changes. Only debug builds (the ones the tests run) look at
//! `CASEBINDER_FAILPOINT`; a release build never stops here.

/// Stops the process at once (no clean-up, no unwinding) when `CASEBINDER_FAILPOINT` names this
/// point, in a debug build.
pub fn hit(name: &str) {
    #[cfg(debug_assertions)]
    if std::env::var_os("CASEBINDER_FAILPOINT").is_some_and(|v| v == name) {
        std::process::abort();
    }
    #[cfg(not(debug_assertions))]
    let _ = name;
}

/// Waits a moment (1.5 s) when `CASEBINDER_FAILPOINT` names this point, in a debug build: a test
/// changes the folder in that moment, as another program could.
pub fn pause(name: &str) {
    #[cfg(debug_assertions)]
    if std::env::var_os("CASEBINDER_FAILPOINT").is_some_and(|v| v == name) {
        std::thread::sleep(std::time::Duration::from_millis(1500));
    }
    #[cfg(not(debug_assertions))]
    let _ = name;
}
