//! Errors a person can act on.
//!
//! Every failure that reaches the user is printed once, as `error: …` followed by `hint: …`
//! saying what to do next. Stages return [`UserError`] (through `anyhow`) when they know
//! the remedy; `main` prints the chain and the hint.

use std::fmt;

/// A failure with a plain-language message and, where we know one, the next step.
#[derive(Debug)]
pub struct UserError {
    pub message: String,
    pub hint: Option<String>,
}

impl fmt::Display for UserError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.message)
    }
}

impl std::error::Error for UserError {}

/// Builds an error with a message and a hint.
pub fn user_error(message: impl Into<String>, hint: impl Into<String>) -> anyhow::Error {
    anyhow::Error::new(UserError {
        message: message.into(),
        hint: Some(hint.into()),
    })
}

/// True when the error chain holds a closed pipe (`casebinder list | head`): that is success.
pub fn is_broken_pipe(err: &anyhow::Error) -> bool {
    err.chain().any(|cause| {
        cause
            .downcast_ref::<std::io::Error>()
            .is_some_and(|e| e.kind() == std::io::ErrorKind::BrokenPipe)
    })
}

/// The hint carried anywhere in the chain, if any.
pub fn hint_of(err: &anyhow::Error) -> Option<&str> {
    err.chain()
        .find_map(|cause| cause.downcast_ref::<UserError>())
        .and_then(|u| u.hint.as_deref())
}
