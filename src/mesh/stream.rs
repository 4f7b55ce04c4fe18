//! A layer tessellated a batch of chunks at a time, each batch handed on (drawn, then freed)
//! while the next is made on another thread: its whole mesh is never in memory. `render` streams
//! a heavy layer into its picture this way, and the window a heavy layer's view into its image.

use std::collections::HashSet;

use geo::Rect;

use crate::mesh::chunks::{batches_of, file_runs, Mesh, Section};
use crate::mesh::cover::Cover;
use crate::mesh::input::TessInput;
use crate::mesh::tessellate::{tessellate_groups, Sections};

/// What streaming a layer did.
#[derive(Debug, Default)]
pub struct Streamed {
    /// Features the tessellator skipped: (feature, reason).
    pub skipped: Vec<(u32, String)>,
    /// Triangles handed to `draw`.
    pub triangles: u64,
    /// Triangles left out as hidden (front to back only).
    pub hidden: u64,
}

/// Tessellates `inputs` (those that `keep` says, if given; `boxes` are theirs,
/// `mesh::input::boxes`) simplified to `simplify_km` in batches
/// of about `batch_vertices` input vertices, in file order, and gives each batch's mesh to
/// `draw`, in order. Fills, strokes and markers are streamed one section after the other, so
/// that they stack as if drawn whole (but for a feature whose outline fails after its fill was
/// drawn: the fill stays). Overlapping features stack in file order (a kept level's spatial
/// chunks may stack them otherwise where chunks meet, see `tessellate`).
///
/// With a `cover` the layer goes front to back: markers, strokes, fills, each batch's triangles
/// last first, to be blended *under* what is drawn (`gpu::Renderer::set_under`), and without
/// what the triangles in front of it hide (`mesh::cover`); a feature whose box is hidden is not
/// tessellated at all. Returns what was skipped and hidden, or `draw`'s first error (nothing
/// more is made after it).
pub fn stream<E>(
    inputs: &[TessInput],
    boxes: &[Option<Rect<f64>>],
    keep: Option<&[bool]>,
    batch_vertices: usize,
    simplify_km: f64,
    cover: Option<Cover<'_>>,
    mut draw: impl FnMut(Mesh) -> Result<(), E>,
) -> Result<Streamed, E> {
    // In file order, whatever is kept: features overlap as the file stacks them, in every
    // part of the layer alike.
    let groups = file_runs(inputs, keep);
    // A stroke's mesh has about 2.3 times its fill's vertices: its batches take half the input,
    // so that every batch is about as big (19 MB less at the window's peak on a 100 MB file,
    // and no slower, BENCHMARKS.md).
    let fills = batches_of(&groups, batch_vertices);
    let strokes = batches_of(&groups, (batch_vertices / 2).max(1));
    drop(groups);
    let mut streamed = Streamed::default();
    let front_to_back = cover.is_some();
    std::thread::scope(|s| {
        // One batch is made while the last one draws: two at most (a third waiting between
        // them held 17 MB more of the window's peak on a 100 MB file, and gained no time).
        let (tx, rx) = std::sync::mpsc::sync_channel(0);
        let (fills, strokes) = (&fills, &strokes);
        let producer = s.spawn(move || {
            let mut cover = cover;
            // A feature skipped in one section is left out of the later ones, as the whole
            // mesh leaves it out (a section already drawn stays).
            let mut left_out = HashSet::new();
            let mut sections = Section::ALL;
            if front_to_back {
                sections.reverse();
            }
            'sections: for section in sections {
                let batches = if section == Section::Strokes {
                    strokes
                } else {
                    fills
                };
                let order: Box<dyn Iterator<Item = &Vec<Vec<usize>>>> = if front_to_back {
                    Box::new(batches.iter().rev())
                } else {
                    Box::new(batches.iter())
                };
                for batch in order {
                    let kept: Vec<Vec<usize>>;
                    let groups = if left_out.is_empty() && cover.is_none() {
                        batch
                    } else {
                        kept = batch
                            .iter()
                            .map(|g| {
                                g.iter()
                                    .copied()
                                    .filter(|&k| !left_out.contains(&inputs[k].feature))
                                    .filter(|&k| {
                                        !cover
                                            .as_mut()
                                            .is_some_and(|c| c.hides(&inputs[k], boxes[k], section))
                                    })
                                    .collect()
                            })
                            .collect();
                        &kept
                    };
                    let mut mesh =
                        tessellate_groups(inputs, groups, simplify_km, Sections::only(section));
                    left_out.extend(mesh.skipped.iter().map(|(f, _)| *f));
                    if let Some(c) = cover.as_mut() {
                        mesh = c.cull(mesh);
                    }
                    if tx.send(mesh).is_err() {
                        break 'sections; // the drawing side failed
                    }
                }
            }
            cover.map(|c| (c.triangles, c.dropped, c.features_dropped))
        });
        for mut mesh in rx {
            streamed.skipped.append(&mut mesh.skipped);
            if mesh.chunks.is_empty() {
                continue;
            }
            streamed.triangles += mesh
                .chunks
                .iter()
                .map(|c| c.index_count() as u64 / 3)
                .sum::<u64>();
            // Dropping the receiver ends the producer at its next send.
            draw(mesh)?;
        }
        match producer.join() {
            Ok(Some((made, hidden, features))) => {
                streamed.hidden = hidden;
                log::info!(
                    "front to back: {hidden} of {made} triangles hidden, and {features} feature sections not tessellated"
                );
            }
            Ok(None) => {}
            Err(panic) => std::panic::resume_unwind(panic),
        }
        Ok(streamed)
    })
}
