//! One input through senco's loader (decoded as every kind of record file),
//! the finding renderer and the surgical editors, with their invariants
//! checked: `senco::repo::fuzz::one_input`, the same body as the property
//! test that runs in CI.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    senco::repo::fuzz::one_input(data);
});
