//! `senco recover`: finish or undo a records change that was interrupted.

use super::{eprint, Ctx};
use crate::cli::RecoverArgs;
use crate::edit::journal::command_name;
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
            "undid the interrupted {} ({why}, so it could not be finished): {what}; the records are as they were before it; run the command again\n",
            command_name(&r.command)
        ),
        (true, None) => format!(
            "undid the interrupted {}: {what}; the records are as they were before it\n",
            command_name(&r.command)
        ),
        (false, _) if r.forced_finish.is_some() => format!(
            "the interrupted {} cannot be undone: {}; it is finished, and the records are as it left them (`git diff` shows its changes, `git checkout` undoes them)\n",
            command_name(&r.command),
            r.forced_finish.unwrap_or_default()
        ),
        (false, _) => format!(
            "finished the interrupted {}: {} file(s) written, {} folder(s) moved; the records are as it would have left them\n",
            command_name(&r.command), r.files, r.moves
        ),
    };
    eprint(&msg);
    Ok(0)
}
