//! How the command line words a refusal: the domain's sentence, then what to run instead.
//! The domain names no command; the commands to suggest are this front end's own.

use handback::domain::rules::{Move, MoveRefusal, Obstacle};

/// The refusal, and the command that would clear the way where there is one.
pub fn move_refusal(refusal: &MoveRefusal) -> String {
    let serial = &refusal.serial;
    match (refusal.obstacle, refusal.wanted) {
        (Obstacle::Held, Move::HandOut) => format!(
            "{refusal}: return it first (`handback return {serial}`) or use `handback transfer`"
        ),
        (Obstacle::Held, Move::Recycle) => {
            format!("{refusal}: take it back first (`handback return {serial} --to recycle`)")
        }
        (Obstacle::Held, _) => {
            format!("{refusal}: take it back first (`handback return {serial} --to …`)")
        }
        (Obstacle::Missing, _) => format!(
            "{refusal}; if it has turned up, record it with `handback found {serial}` first"
        ),
        (Obstacle::InRepair, _) => {
            format!("{refusal}; when it is fixed, run `handback repaired {serial}` first")
        }
        _ => refusal.to_string(),
    }
}
