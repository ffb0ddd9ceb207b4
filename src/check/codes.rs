//! The registry of finding codes `senco check` reports (besides the rule
//! codes of the rule packs in `rules`). Every code here is documented for
//! `senco explain CODE`; a test proves each is unique and explained.

use crate::diag::Severity::{self, Error as E, Warning as W};

#[derive(Debug)]
pub struct Code {
    pub code: &'static str,
    pub severity: Severity,
    pub summary: &'static str,
    /// What it means and how to fix it.
    pub explanation: &'static str,
}

macro_rules! codes {
    ($($code:literal $sev:ident $summary:literal $explanation:literal;)*) => {
        pub const CODES: &[Code] = &[$(Code { code: $code, severity: $sev, summary: $summary, explanation: $explanation }),*];
    };
}

codes! {
    "yaml-syntax" E "The file is not valid YAML."
        "senco could not read the file as YAML, so nothing in it was checked. The message names the line and column where reading stopped; the mistake is often on the line before (a missing space after `:`, a value containing `: ` that needs quotes, or wrong indentation). Fix the line and run `senco check` again.";
    "empty-file" E "The file has no content."
        "The file holds nothing but blank lines or comments. A list file with no entries should say `[]`; a pupil.yaml or review must be filled in. Delete the file if it is not needed.";
    "not-utf8" E "The file is not UTF-8 text."
        "Records are UTF-8 text. The file holds a byte that is not UTF-8 (often because it was saved as Windows-1252 or Latin-1 by an old editor). Open it and save it again with the UTF-8 encoding.";
    "unreadable-file" E "The file cannot be read."
        "The operating system refused to read the file (permissions, or a broken link). Fix the file's permissions.";
    "missing-file" E "A required file is missing."
        "Every pupil folder needs a `pupil.yaml`. Create one with `senco new-pupil`, or remove the folder if it was made by mistake.";
    "unknown-file" W "A YAML file senco does not read."
        "A pupil folder holds pupil.yaml, needs.yaml, assessments.yaml, targets.yaml, interventions.yaml and a reviews/ folder; the top of the repository holds staff.yaml and catalogue.yaml; pupils/ and archive/ hold one folder per pupil. Another YAML file in those places is ignored, so its contents would be silently lost from every report. Rename it (often a typo such as `need.yaml` or `staf.yaml`) or move it where it belongs.";
    "unknown-key" E "A key the records format does not have."
        "Unknown keys are errors so that a typo never silently drops data: `strenghts:` would otherwise be ignored. Fix the spelling (the hint suggests the nearest key), or prefix a school's own key with `x-` (e.g. `x-house: Oak`), which senco keeps and ignores.";
    "duplicate-key" E "The same key appears twice in one mapping."
        "YAML keeps only one of two equal keys, so one value would be lost. Keep one of them.";
    "missing-key" E "A required key is missing or empty."
        "The record lacks a key it must have (for example a need without `area`, or a pupil without `date_of_birth`). Add the key with its value.";
    "wrong-type" E "A value has the wrong type."
        "The value is of the wrong kind: text where a number is needed (`year_group: four`), a single value where a list is needed, or a list where text is needed. The message says what was expected; write the value in that form.";
    "bad-number" E "A number outside the range it can have."
        "Sessions per week, minutes and group sizes must be above 0; hourly rates and costs cannot be negative; a year group runs from -2 (nursery) to 15. A value outside its range would make costs, caseloads and deadlines wrong without a word, so it is an error. Fix the number.";
    "bad-date" E "A date that is not a real `YYYY-MM-DD` date."
        "Dates are written `YYYY-MM-DD` and must exist: `2026-13-01` (no month 13) and `2026-02-30` are errors. Fix the date.";
    "bad-value" E "A value outside its list of allowed words."
        "Fields such as `level`, `area`, `status`, `kind` and `role` take one of a fixed list of words (see docs/format.md). The hint lists them and suggests the nearest.";
    "bad-id" E "An id that breaks the id rules."
        "A pupil id is 3 to 64 lowercase ASCII letters, digits and `-`, starting with a letter (e.g. `ava-brown`). It is the folder name. Rename the folder and the `id:` together.";
    "id-mismatch" E "The folder name and `id:` differ."
        "A pupil's folder must be named after its `id:` in pupil.yaml. Rename the folder or fix the id, whichever is wrong.";
    "duplicate-id" E "Two records share an id."
        "Ids must be unique: pupil ids across pupils/ and archive/, staff and catalogue ids, and need, target, intervention and assessment ids within one pupil. References would be ambiguous. Rename one of them (and what refers to it).";
    "missing-need" E "A target refers to a need that does not exist."
        "A target's `need:` must be the `id` of one of the pupil's needs in needs.yaml. Fix the id (the hint suggests the nearest) or add the need.";
    "missing-target" E "A reference to a target that does not exist."
        "An intervention's `targets:` and a review's `targets:` must name ids from the pupil's targets.yaml. Fix the id or add the target.";
    "missing-pupil" E "A delivery record names a pupil with no records folder."
        "A session in `delivery/` lists a pupil id that is not a folder under `pupils/` or `archive/`. Correct the id (the folder name), or remove the line.";
    "bad-delivery-filename" E "A delivery file is not named by its month."
        "Files under `delivery/<place>/` are named `YYYY-MM.yaml`, one per month (e.g. `2026-11.yaml`); other names are not read. Rename the file.";
    "delivery-date-mismatch" E "A session is in another month's delivery file."
        "Each `delivery/<place>/YYYY-MM.yaml` holds the sessions of that month. Move the session to its month's file, or correct its date.";
    "delivery-no-pupils" E "A session lists no pupils and is not cancelled."
        "A delivered session records who received it: `pupils:` with each pupil's `status` (`attended`, `absent`, `cancelled`). A session that did not run has `cancelled: REASON` instead.";
    "delivery-no-place" E "A session names a pupil who has no place on that provision."
        "A session in `delivery/<place>/` joins the pupil's intervention whose catalogue `provision` is `<place>` (or whose `id` is, when it has no catalogue entry). This pupil has none: add the intervention, or log the session in the right folder.";
    "missing-staff" E "A reference to a staff member who is not in staff.yaml."
        "`key_worker`, a target's `owner` and an intervention's `staff` must be ids from staff.yaml. Fix the id or add the staff member.";
    "missing-provision" E "A reference to a catalogue entry that does not exist."
        "An intervention's `provision:` must be an id from catalogue.yaml. Fix the id, add the entry, or drop `provision:` and give a `name:`.";
    "missing-assessment" E "A need's evidence names an assessment that does not exist."
        "A need's `evidence:` lists ids from the pupil's assessments.yaml. Fix the id or add the assessment.";
    "review-date-mismatch" E "A review's file name and `date:` differ."
        "A review file is named after its meeting date (`2026-01-30.yaml` or `2026-01-30-annual.yaml`) and its `date:` must be the same day, so the history sorts correctly. Fix whichever is wrong.";
    "bad-review-filename" E "A review file that is not named `YYYY-MM-DD[-slug].yaml`."
        "Files in reviews/ are named by their meeting date, optionally followed by `-` and a word: `2026-01-30.yaml`, `2026-01-30-annual.yaml`. Other names are not read. Rename the file.";
    "end-before-start" E "An intervention ends before it starts."
        "The `end` date is before the `start` date. One of them is mistyped.";
    "due-before-set" E "A target is due before it was set."
        "The `due` date is before the `set` date. One of them is mistyped.";
    "missing-plan-issued" E "A statutory plan without the date it was issued."
        "Pupils at a statutory level (`ehcp`, `la-idp`, `iep`) need `support.plan.issued`: every statutory deadline counts from it. Add the date the current plan was issued or finalised.";
    "multiple-primary-needs" E "More than one need is marked primary."
        "Exactly one need is primary when a pupil has needs: it decides the census type and the register's primary need. Set `primary: true` on one need only.";
    "no-primary-need" W "No need is marked primary."
        "When a pupil has needs, one of them should have `primary: true`; the census and the register need a primary need.";
    "level-not-allowed" E "A support level from another jurisdiction."
        "Each jurisdiction has its own levels: england `monitoring`, `sen-support`, `ehcp`; wales `monitoring`, `school-idp`, `la-idp`; us-idea `monitoring`, `section-504`, `iep`. Use one of the levels of the school's jurisdiction (senco.toml).";
    "bad-need-type" E "A need type that is not a code of the jurisdiction."
        "In England a need's `type` is a census SEN type code: SPLD MLD SLD PMLD SEMH SLCN HI VI MSI PD ASD OTH NSA (NSA only with sen-support). In the US it is an IDEA disability category slug such as `specific-learning-disability`. Fix the code.";
    "no-needs" W "A pupil on the register has no needs recorded."
        "Every pupil on the SEN register should have at least one need in needs.yaml: it is the reason they are on the register.";
    "no-targets" W "A pupil on the register has no targets."
        "Pupils on the register should have outcomes to work towards in targets.yaml, reviewed at each review.";
    "intervention-no-target" W "An intervention serves no target."
        "Provision should serve an outcome: list the target ids it works towards in `targets:`, so its impact can be reviewed.";
    "target-overdue" W "An open target is past its due date."
        "The target is still `open` after its `due` date. Review it: record its outcome in `status` (achieved, partly-achieved, not-achieved, discontinued) or set a new due date.";
    "action-overdue" W "A review action is past its due date."
        "An action agreed at a review is past its `due` date and has no `done:` date. Record `done: YYYY-MM-DD` when it is done, or follow it up.";
    "delivery-below" W "A statutory provision was delivered below the school's threshold this term."
        "An intervention marked `statutory: true` (EHC plan section F, IEP services) received less than `[delivery] warn_below` (default 0.9) of its planned minutes in the current term so far, counted from `delivery/`. `senco delivery --pupil ID` shows what was missed and why; sessions that ran but are not logged count as missed.";
    "follow-up-overdue" W "A log entry's follow-up date has passed."
        "An entry in the pupil's `log.yaml` has a `follow_up` date in the past and no `followed_up` date. Follow it up, then record `followed_up: YYYY-MM-DD` on the entry.";
    "bad-follow-up" W "A log entry's follow-up date is before the entry."
        "A `follow_up` date earlier than the entry's own `date` is almost always a typing mistake. Correct whichever date is wrong.";
    "no-voice" W "The last review records no pupil or parent voice."
        "Reviews should record the views of the pupil (`pupil_voice`) and the parents (`parent_voice`). Add what they said, or why it could not be gathered.";
    "consent-not-recorded" W "No consent to share information is recorded."
        "Pupils on the register should have `consent.information_sharing` set to the date consent was given, before information is shared with other agencies.";
    "referral-waiting" W "A referral has been waiting a long time."
        "A referral with `status: waiting` has waited longer than `reviews.referral_wait_weeks` (default 18). Chase the service, and record the outcome.";
    "cost-above-threshold" W "A pupil's additional provision costs more than the notional threshold."
        "The yearly cost of the pupil's interventions is above `costs.notional_threshold`. In England that is the point to consider top-up funding or an EHC needs assessment (ENG-COST).";
    "no-senco" W "No SENCO is named in senco.toml."
        "`school.senco` names the school's designated SENCO (ALNCo in Wales); it appears on rendered documents.";
    "bad-settings" E "senco.toml is invalid."
        "senco.toml could not be read: a syntax error, an unknown key, a value of the wrong type, or an unknown rule code in [rules]. The message names the line; docs/format.md describes every key.";
}

pub fn code(code: &str) -> Option<&'static Code> {
    CODES.iter().find(|c| c.code == code)
}
