//! Evidence for leaders: intervention impact, progress over time, census
//! figures and exports. Records in, rows out; no printing, no I/O.

pub mod census;
pub mod export;
pub mod impact;
pub mod progress;
