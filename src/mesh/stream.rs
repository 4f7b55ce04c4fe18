//! A layer tessellated a batch of chunks at a time, each batch handed on (drawn, then freed)
//! while the next is made on another thread: its whole mesh is never in memory. `render` streams
//! a heavy layer into its picture this way, and the window a heavy layer's view into its image.

use std::collections::HashSet;

use crate::mesh::chunks::{batches_of, chunk_groups, Mesh, Section};
use crate::mesh::input::TessInput;
use crate::mesh::tessellate::{tessellate_groups, Sections};

/// Tessellates `inputs` simplified to `simplify_km` in batches of about `batch_vertices` input
/// vertices and gives each batch's mesh to `draw`, in order. Fills, strokes and markers are
/// streamed one section after the other, so that they stack as if drawn whole (but for a feature
/// whose outline fails after its fill was drawn: the fill stays). Returns the features the
/// tessellator skipped, or `draw`'s first error (nothing more is made after it).
pub fn stream<E>(
    inputs: &[TessInput],
    batch_vertices: usize,
    simplify_km: f64,
    mut draw: impl FnMut(Mesh) -> Result<(), E>,
) -> Result<Vec<(u32, String)>, E> {
    // A stroke's mesh has about 2.3 times its fill's vertices: its batches take half the input,
    // so that every batch is about as big (19 MB less at the window's peak on a 100 MB file,
    // and no slower, BENCHMARKS.md).
    let groups = chunk_groups(inputs);
    let fills = batches_of(&groups, batch_vertices);
    let strokes = batches_of(&groups, (batch_vertices / 2).max(1));
    drop(groups);
    let mut skipped = Vec::new();
    std::thread::scope(|s| {
        // One batch is made while the last one draws: two at most (a third waiting between
        // them held 17 MB more of the window's peak on a 100 MB file, and gained no time).
        let (tx, rx) = std::sync::mpsc::sync_channel(0);
        let (fills, strokes) = (&fills, &strokes);
        s.spawn(move || {
            // A feature skipped in one section is left out of the later ones, as the whole
            // mesh leaves it out (a fill already drawn stays).
            let mut left_out = HashSet::new();
            for section in Section::ALL {
                let batches = if section == Section::Strokes {
                    strokes
                } else {
                    fills
                };
                for batch in batches {
                    let kept: Vec<Vec<usize>>;
                    let groups = if left_out.is_empty() {
                        batch
                    } else {
                        kept = batch
                            .iter()
                            .map(|g| {
                                g.iter()
                                    .copied()
                                    .filter(|&k| !left_out.contains(&inputs[k].feature))
                                    .collect()
                            })
                            .collect();
                        &kept
                    };
                    let mesh =
                        tessellate_groups(inputs, groups, simplify_km, Sections::only(section));
                    left_out.extend(mesh.skipped.iter().map(|(f, _)| *f));
                    if tx.send(mesh).is_err() {
                        return; // the drawing side failed
                    }
                }
            }
        });
        for mut mesh in rx {
            skipped.append(&mut mesh.skipped);
            if mesh.chunks.is_empty() {
                continue;
            }
            // Dropping the receiver ends the producer at its next send.
            draw(mesh)?;
        }
        Ok(skipped)
    })
}
