//! Background drawing yields to the user. A heavy layer's image is drawn on a thread of its
//! own, a render pass per submission on the device's queue (`gpu::raster`); where drawing is
//! slow (a software rasterizer, one queue) the window's frames wait behind a pass. So before
//! each pass of a streamed level's image (frames meanwhile draw its light stand-in) the thread
//! waits while the user gives input or the view moves, and goes on once they stop. A kept
//! level's image does not wait (it is drawn in one submission): until it is in, every frame
//! draws the level itself. Under input that does not stop it waits at most [`HOLD_PER_DRAW`]
//! times as long as the last pass took to draw (and at most [`MAX_HOLD`]): the image takes at
//! most a fifth of the queue's time while the user interacts (passes under 250 ms), and where
//! passes draw in a millisecond (a GPU) it hardly waits at all.

use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// Input younger than this holds the next pass: longer than the gap between a drag's frames
/// on a software rasterizer (25-60 ms), so a drag holds it throughout, and short enough that a
/// single key or click delays an image by about a pass.
pub const YIELD_AFTER_INPUT: Duration = Duration::from_millis(100);
/// The longest a pass is held, in times the last pass took to draw: under input that never
/// stops (a pointer moved over the map for minutes) the image still comes, a pass at a time.
pub const HOLD_PER_DRAW: u32 = 4;
/// And never longer than this.
pub const MAX_HOLD: Duration = Duration::from_secs(1);
/// How often a held pass looks again.
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

    /// Called before a pass is submitted, with when the last pass was submitted and how long it
    /// took (`None` for the first): waits while the user is interacting (see [`hold`]), or
    /// until `stop` says the pass is no longer wanted. Returns whether it waited.
    pub fn wait_turn(
        &self,
        last_draw: Option<(Instant, Duration)>,
        stop: impl Fn() -> bool,
    ) -> bool {
        let start = Instant::now();
        let mut waited = false;
        loop {
            let since_last = last_draw.is_some_and(|(at, _)| {
                let at_us = at.saturating_duration_since(self.0.base).as_micros() as u64 + 1;
                self.0.last.load(Ordering::Relaxed) >= at_us
            });
            let Some(wait) = hold(
                self.since_input(),
                start.elapsed(),
                last_draw.map(|(_, took)| took),
                since_last,
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

/// How much longer a pass waits when the last input was `since_input` ago, it has waited
/// `held` already and the last pass took `last_draw` to draw; `None`: it goes now.
/// - Input younger than [`YIELD_AFTER_INPUT`] holds it. Input given since the last pass was
///   submitted (`input_since_last`) holds it `last_draw` longer: while a frame waits behind a
///   pass, the window handles input late, so a gap in its input may be the pass's own doing
///   (else a held pass let go would let the next one go too). A drag's end thus waits one
///   pass's drawing more.
/// - Under input that does not stop, it goes after [`HOLD_PER_DRAW`] times `last_draw`, at
///   most [`MAX_HOLD`].
/// - The first pass (no `last_draw`) goes at once: what it costs is not known yet.
pub fn hold(
    since_input: Option<Duration>,
    held: Duration,
    last_draw: Option<Duration>,
    input_since_last: bool,
) -> Option<Duration> {
    let since = since_input?;
    let draw = last_draw?;
    let most = (draw * HOLD_PER_DRAW).min(MAX_HOLD);
    let fresh = if input_since_last {
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

    /// A pass of lavapipe's speed on a 100 MB file.
    const SLOW: Option<Duration> = Some(Duration::from_millis(80));

    #[test]
    fn a_pass_waits_out_fresh_input_and_no_more() {
        // No input yet, or input older than the yield: it goes.
        assert_eq!(hold(None, MS(0), SLOW, false), None);
        assert_eq!(hold(Some(YIELD_AFTER_INPUT), MS(0), SLOW, false), None);
        assert_eq!(hold(Some(MS(5_000)), MS(0), SLOW, true), None);
        // Input 40 ms ago: it waits until the input is YIELD_AFTER_INPUT old.
        assert_eq!(
            hold(Some(MS(40)), MS(0), SLOW, false),
            Some(YIELD_AFTER_INPUT - MS(40))
        );
        // The first pass goes: its cost is not known.
        assert_eq!(hold(Some(MS(0)), MS(0), None, false), None);
    }

    #[test]
    fn input_since_the_last_pass_holds_the_next_for_its_drawing_too() {
        // 120 ms ago, after an 80 ms pass was submitted: the window may have waited on it.
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
    fn input_that_never_stops_holds_a_pass_a_few_times_its_drawing() {
        // Fresh input all along: held HOLD_PER_DRAW times the last pass's drawing (320 ms).
        assert_eq!(hold(Some(MS(0)), MS(300), SLOW, true), Some(MS(20)));
        assert_eq!(hold(Some(MS(0)), MS(320), SLOW, true), None);
        // A pass that drew in a millisecond (a GPU) is held 4 ms at most.
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
        // A pass submitted before the touches below that drew for 200 ms.
        let last = Some((Instant::now(), MS(200)));
        // Untouched: no wait at all.
        assert!(!clock.wait_turn(last, || false));
        // Touched before the last pass was submitted: waits until the input is old enough.
        clock.touch();
        let pass = Some((Instant::now(), MS(30)));
        assert!(clock.wait_turn(pass, || false));
        assert!(clock.since_input().unwrap() >= YIELD_AFTER_INPUT);
        // Touched after it was submitted: its drawing longer.
        clock.touch();
        assert!(clock.wait_turn(last, || false));
        assert!(clock.since_input().unwrap() >= YIELD_AFTER_INPUT + MS(200));
        // A pass no longer wanted does not wait.
        clock.touch();
        assert!(!clock.wait_turn(last, || true));
    }
}
