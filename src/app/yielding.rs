//! Background drawing yields to the user. A heavy layer's image is streamed in batches on a
//! thread of its own; each batch is a submission on the device's queue, and where drawing is
//! slow (a software rasterizer, one queue) the window's frames wait behind it. So before each
//! batch the thread waits while the user gives input or the view moves, and goes on once they
//! stop. Under input that does not stop it waits at most [`HOLD_PER_DRAW`] times as long as the
//! last batch took to draw: the image takes at most a fifth of the queue's time while the user
//! interacts, and where batches draw in a millisecond (a GPU) it hardly waits at all.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Input younger than this holds the next batch: longer than the gap between a drag's frames
/// on a software rasterizer (25-60 ms), so a drag holds it throughout, and short enough that a
/// single key or click delays an image by a fraction of a batch.
pub const YIELD_AFTER_INPUT: Duration = Duration::from_millis(100);
/// The longest a batch is held, in times the last batch took to draw: under input that never
/// stops (a pointer moved over the map for minutes) the image still comes, a batch at a time.
pub const HOLD_PER_DRAW: u32 = 4;
/// And never longer than this.
pub const MAX_HOLD: Duration = Duration::from_secs(1);
/// How often a held batch looks again.
const LOOK_EVERY: Duration = Duration::from_millis(10);

/// When the user last gave input or the view last moved, shared by the window (which sets it)
/// and the threads that draw for it (which wait on it).
#[derive(Clone)]
pub struct InputClock(Arc<Inner>);

struct Inner {
    base: Instant,
    /// Microseconds from `base` to the last input, plus one; 0: none yet.
    last: AtomicU64,
}

impl Default for InputClock {
    fn default() -> Self {
        InputClock(Arc::new(Inner {
            base: Instant::now(),
            last: AtomicU64::new(0),
        }))
    }
}

impl InputClock {
    /// The user gave input (or the view moved) now.
    pub fn touch(&self) {
        let us = self.0.base.elapsed().as_micros() as u64 + 1;
        self.0.last.fetch_max(us, Ordering::Relaxed);
    }

    /// How long ago the last input was; `None` before any.
    fn since_input(&self) -> Option<Duration> {
        match self.0.last.load(Ordering::Relaxed) {
            0 => None,
            us => Some(
                self.0
                    .base
                    .elapsed()
                    .saturating_sub(Duration::from_micros(us - 1)),
            ),
        }
    }

    /// Called before a batch is submitted, with when the last batch started drawing and how
    /// long it took (`None` for the first): waits while the user is interacting (see [`hold`]),
    /// or until `stop` says the batch is no longer wanted. Returns whether it waited.
    pub fn wait_turn(
        &self,
        last_draw: Option<(Instant, Duration)>,
        stop: impl Fn() -> bool,
    ) -> bool {
        let start = Instant::now();
        let mut waited = false;
        loop {
            let during = last_draw.is_some_and(|(at, _)| {
                let at_us = at.saturating_duration_since(self.0.base).as_micros() as u64 + 1;
                self.0.last.load(Ordering::Relaxed) >= at_us
            });
            let Some(wait) = hold(
                self.since_input(),
                start.elapsed(),
                last_draw.map(|(_, took)| took),
                during,
            ) else {
                break;
            };
            if stop() {
                break;
            }
            waited = true;
            std::thread::sleep(wait.min(LOOK_EVERY));
        }
        waited
    }
}

/// How much longer a batch waits when the last input was `since_input` ago, it has waited
/// `held` already and the last batch took `last_draw` to draw; `None`: it goes now.
/// - Input younger than [`YIELD_AFTER_INPUT`] holds it. Input that came while the last batch
///   drew holds it that much longer: the window's frames waited behind that batch, and so did
///   its handling of the next input (else a held batch let go would let the next one go too).
/// - Under input that does not stop, it goes after [`HOLD_PER_DRAW`] times `last_draw`.
/// - The first batch (no `last_draw`) goes at once: what it costs is not known yet.
pub fn hold(
    since_input: Option<Duration>,
    held: Duration,
    last_draw: Option<Duration>,
    input_during_last: bool,
) -> Option<Duration> {
    let since = since_input?;
    let draw = last_draw?;
    let most = (draw * HOLD_PER_DRAW).min(MAX_HOLD);
    let fresh = if input_during_last {
        YIELD_AFTER_INPUT + draw
    } else {
        YIELD_AFTER_INPUT
    };
    if since >= fresh || held >= most {
        return None;
    }
    Some((fresh - since).min(most - held))
}

#[cfg(test)]
mod tests {
    use super::*;

    const MS: fn(u64) -> Duration = Duration::from_millis;

    /// A batch of lavapipe's size on a 100 MB file.
    const SLOW: Option<Duration> = Some(Duration::from_millis(80));

    #[test]
    fn a_batch_waits_out_fresh_input_and_no_more() {
        // No input yet, or input older than the yield: it goes.
        assert_eq!(hold(None, MS(0), SLOW, false), None);
        assert_eq!(hold(Some(YIELD_AFTER_INPUT), MS(0), SLOW, false), None);
        assert_eq!(hold(Some(MS(5_000)), MS(0), SLOW, true), None);
        // Input 40 ms ago: it waits until the input is YIELD_AFTER_INPUT old.
        assert_eq!(
            hold(Some(MS(40)), MS(0), SLOW, false),
            Some(YIELD_AFTER_INPUT - MS(40))
        );
        // The first batch goes: its cost is not known.
        assert_eq!(hold(Some(MS(0)), MS(0), None, false), None);
    }

    #[test]
    fn input_while_the_last_batch_drew_holds_the_next_for_that_long_too() {
        // 120 ms ago, during an 80 ms batch: the window may have been waiting on it.
        assert_eq!(hold(Some(MS(120)), MS(0), SLOW, false), None);
        assert_eq!(
            hold(Some(MS(120)), MS(0), SLOW, true),
            Some(YIELD_AFTER_INPUT + MS(80) - MS(120))
        );
        assert_eq!(
            hold(Some(YIELD_AFTER_INPUT + MS(80)), MS(0), SLOW, true),
            None
        );
    }

    #[test]
    fn input_that_never_stops_holds_a_batch_a_few_times_its_drawing() {
        // Fresh input all along: held HOLD_PER_DRAW times the last batch's drawing (320 ms).
        assert_eq!(hold(Some(MS(0)), MS(300), SLOW, true), Some(MS(20)));
        assert_eq!(hold(Some(MS(0)), MS(320), SLOW, true), None);
        // A batch that drew in a millisecond (a GPU) is held 4 ms at most.
        assert_eq!(hold(Some(MS(0)), MS(0), Some(MS(1)), true), Some(MS(4)));
        assert_eq!(hold(Some(MS(0)), MS(4), Some(MS(1)), true), None);
        // A very slow one at most MAX_HOLD.
        assert_eq!(hold(Some(MS(0)), MAX_HOLD, Some(MS(900)), true), None);
        assert_eq!(
            hold(Some(MS(0)), MAX_HOLD - MS(1), Some(MS(900)), true),
            Some(MS(1))
        );
    }

    #[test]
    fn the_clock_holds_after_a_touch_and_not_before() {
        let clock = InputClock::default();
        // A batch that started before the touches below and drew for 200 ms.
        let last = Some((Instant::now(), MS(200)));
        // Untouched: no wait at all.
        assert!(!clock.wait_turn(last, || false));
        // Touched before the last batch started: waits until the input is old enough.
        clock.touch();
        let batch = Some((Instant::now(), MS(30)));
        assert!(clock.wait_turn(batch, || false));
        assert!(clock.since_input().unwrap() >= YIELD_AFTER_INPUT);
        // Touched while it drew: that much longer.
        clock.touch();
        assert!(clock.wait_turn(last, || false));
        assert!(clock.since_input().unwrap() >= YIELD_AFTER_INPUT + MS(200));
        // A batch no longer wanted does not wait.
        clock.touch();
        assert!(!clock.wait_turn(last, || true));
    }
}
