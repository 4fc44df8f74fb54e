//! Whether a run that keeps checkpoints starts fresh, resumes, or must ask: decided here once
//! for every command that resumes (`backfill`, `reindex`), so they behave alike.
//!
//! The contract: `--restart` discards what is there and starts over; `--resume` continues what
//! is there (and says so when nothing is); with neither, a finished run or none at all starts
//! fresh, and an unfinished one is a question for the operator, asked on a terminal and refused
//! without one, because silently redoing or silently skipping work are both wrong.

/// What the operator said on the command line.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct ResumeFlags {
    pub resume: bool,
    pub restart: bool,
}

/// How the run starts.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Start {
    /// From the beginning; `clear` says whether checkpoints are there to delete first.
    Fresh { clear: bool },
    /// From the checkpoints found.
    Resume,
    /// `--resume` with no checkpoint: from the beginning, and the operator is told.
    ResumeNothing,
    /// An unfinished run and neither flag: ask (or refuse where nobody can answer).
    Ask,
}

/// The operator's answer to [`Start::Ask`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Answer {
    Resume,
    StartOver,
}

impl Start {
    /// Decides from the flags and what was found: `found` checkpoints, `unfinished` of them not
    /// complete.
    pub fn decide(flags: ResumeFlags, found: usize, unfinished: usize) -> Start {
        if flags.restart {
            Start::Fresh { clear: found > 0 }
        } else if flags.resume {
            if found > 0 {
                Start::Resume
            } else {
                Start::ResumeNothing
            }
        } else if unfinished == 0 {
            Start::Fresh { clear: false }
        } else {
            Start::Ask
        }
    }

    /// What an answer to the question means.
    pub fn answered(answer: Answer) -> Start {
        match answer {
            Answer::Resume => Start::Resume,
            // The unfinished checkpoints go, or the next run would ask again.
            Answer::StartOver => Start::Fresh { clear: true },
        }
    }

    /// Whether the run continues from checkpoints.
    pub fn resumes(self) -> bool {
        self == Start::Resume
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_flags_and_what_was_found_decide() {
        let none = ResumeFlags::default();
        let resume = ResumeFlags {
            resume: true,
            restart: false,
        };
        let restart = ResumeFlags {
            resume: false,
            restart: true,
        };
        assert_eq!(Start::decide(none, 0, 0), Start::Fresh { clear: false });
        assert_eq!(Start::decide(none, 2, 0), Start::Fresh { clear: false });
        assert_eq!(Start::decide(none, 2, 1), Start::Ask);
        assert_eq!(Start::decide(resume, 2, 1), Start::Resume);
        assert_eq!(Start::decide(resume, 0, 0), Start::ResumeNothing);
        assert_eq!(Start::decide(restart, 2, 1), Start::Fresh { clear: true });
        assert_eq!(Start::decide(restart, 0, 0), Start::Fresh { clear: false });
        assert_eq!(
            Start::answered(Answer::StartOver),
            Start::Fresh { clear: true }
        );
        assert!(Start::answered(Answer::Resume).resumes());
    }
}
