//! The window while a heavy layer's view streams into its image: left alone, its status bar
//! says the map is being drawn, and its spinner redraws a tenth of the time at most, not without
//! pause (on a software rasterizer each frame takes a core and a turn on the queue that the
//! image's passes need).

use std::path::Path;

use serde_json::Value;

use crate::common::gpu_lock;
use crate::common::window::*;
use crate::lod_tests::{heavy_file, heavy_layer};

#[test]
fn window_left_alone_spends_a_tenth_of_its_time_on_frames_while_an_image_streams() {
    let _gpu = gpu_lock();
    let file = heavy_file("window_refine_pace_file", 5, |_| {});
    // Every level over 1000 vertices streamed, in small batches that each wait 100 ms: the
    // image takes seconds, whatever the machine.
    let v = Viewer::start_env(
        "window_refine_pace",
        &[&file],
        [900, 600],
        &["--no-demo"],
        &[
            ("BORDERLENS_HOLD_VERTICES", Path::new("1000")),
            ("BORDERLENS_STREAM_VERTICES", Path::new("4000")),
            ("BORDERLENS_IMAGE_BATCH_DELAY_MS", Path::new("100")),
        ],
    );
    let layer = |s: &Value| heavy_layer(s).cloned().unwrap_or(Value::Null);
    let (a, _) = v.wait_for(0, "the image under way", |s| {
        s["loading"] == 0 && layer(s)["image_pending"] == true
    });
    let (b, _) = v.wait_for(frame(&a), "the image in", |s| {
        layer(s)["image"] == true && layer(s)["image_pending"] == false
    });
    assert_eq!(
        a["drawing"], true,
        "the status bar says the map is being drawn"
    );
    assert_eq!(b["drawing"], false, "and no longer once the image is in");
    let ms = |s: &Value| s["presented_ms"].as_u64().unwrap();
    let span_ms = ms(&b) - ms(&a);
    let frames = frame(&b) - frame(&a);
    assert!(
        span_ms >= 2_000,
        "the image came {span_ms} ms after the first frame that waited for it: too soon to count"
    );
    // The spinner's redraws keep its pace (a few more frames for the levels and the image
    // coming in), whatever a frame takes on this machine.
    let frame_ms = a["last_frame_ms"]
        .as_f64()
        .unwrap()
        .min(b["last_frame_ms"].as_f64().unwrap());
    eprintln!("{frames} frames of {frame_ms:.0} ms in {span_ms} ms while the image streamed");
    assert!(
        frames as f64 <= paced_frames_at_most(span_ms, frame_ms),
        "{frames} frames of {frame_ms:.0} ms in {span_ms} ms while the image streamed, nothing \
         else happening"
    );
    // And the spinner still turns: a redraw every 2 s at least.
    assert!(
        frames + 1 >= span_ms / 2_000,
        "{frames} frames in {span_ms} ms: the spinner stopped"
    );
    assert!(v.alive(), "the viewer closed:\n{}", v.log());
}
