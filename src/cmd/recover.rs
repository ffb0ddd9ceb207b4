//! `senco recover`: finish or undo a records change that was interrupted.

use super::{eprint, Ctx};
use crate::cli::RecoverArgs;
use crate::edit::recover::recover;
use crate::error::Error;

pub fn run(ctx: &Ctx, args: &RecoverArgs) -> Result<u8, Error> {
    let root = ctx.root_as_is()?;
    let Some(r) = recover(&root, args.undo)? else {
        eprint("nothing to recover: no records change was interrupted\n");
        return Ok(0);
    };
    let what = format!("{} file(s) put back, {} folder move(s) undone", r.files, r.moves);
    let msg = match (r.undone, r.forced_undo) {
        (true, Some(why)) => format!(
            "undid the interrupted `senco {}` ({why}, so it could not be finished): {what}; the records are as they were before it; run the command again\n",
            r.command
        ),
        (true, None) => format!(
            "undid the interrupted `senco {}`: {what}; the records are as they were before it\n",
            r.command
        ),
        (false, _) => format!(
            "finished the interrupted `senco {}`: {} file(s) written, {} folder(s) moved; the records are as it would have left them\n",
            r.command, r.files, r.moves
        ),
    };
    eprint(&msg);
    Ok(0)
}
