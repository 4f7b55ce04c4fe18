//! Test hooks read from the environment, in one place: thresholds that give a small file the
//! paths of a big one (`BORDERLENS_HOLD_VERTICES`, `BORDERLENS_IMAGE_ABOVE`,
//! `BORDERLENS_PASS_TRIANGLES`, `BORDERLENS_STREAM_VERTICES`) and delays that let a window test
//! see a state for as long as it needs, whatever the machine (`BORDERLENS_LOAD_DELAY_MS`,
//! `BORDERLENS_IMAGE_BATCH_DELAY_MS`, `BORDERLENS_LEVEL_DELAY_MS`,
//! `BORDERLENS_FRAME_DELAY_MS`), `BORDERLENS_BACK_TO_FRONT`, which draws streamed images the
//! old way to compare them with the new, and `BORDERLENS_IMAGE_FAIL`, which fails every layer
//! image as a device error would. Callers that ask often keep the answer. A leaf: imports
//! nothing of the crate.

use std::str::FromStr;
use std::time::Duration;

/// The number in variable `name`, if it is set and parses.
pub fn number<T: FromStr>(name: &str) -> Option<T> {
    std::env::var(name).ok()?.trim().parse().ok()
}

/// Whether variable `name` is set (to anything).
pub fn is_set(name: &str) -> bool {
    std::env::var_os(name).is_some()
}

/// Variable `name` as a whole number of milliseconds.
pub fn millis(name: &str) -> Option<Duration> {
    number(name).map(Duration::from_millis)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_and_delays_come_from_the_environment() {
        // Names of this test's own: the others read theirs at the same time.
        std::env::set_var("BORDERLENS_TEST_HOOK_MS", " 250");
        std::env::set_var("BORDERLENS_TEST_HOOK_BAD", "soon");
        assert_eq!(
            millis("BORDERLENS_TEST_HOOK_MS"),
            Some(Duration::from_millis(250))
        );
        assert_eq!(number::<usize>("BORDERLENS_TEST_HOOK_MS"), Some(250));
        assert_eq!(number::<usize>("BORDERLENS_TEST_HOOK_BAD"), None);
        assert_eq!(millis("BORDERLENS_TEST_HOOK_UNSET"), None);
    }
}
