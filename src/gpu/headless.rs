//! Headless drawing of a map to an image, through the same `gpu::Renderer` as the window, with
//! labels painted by egui like in the window.

use crate::gpu::labels::paint_labels;
use crate::gpu::offscreen::{Gpu, OffscreenTarget, FORMAT, UI_FORMAT};
use crate::gpu::{GpuError, GpuLayer, Renderer};
use crate::map::camera::Camera;
use crate::map::labels::{place_labels, Label};
use crate::map::layer::LayerKind;
use crate::map::Map;

/// Triangles per submitted pass: bounds what a software rasterizer holds at once.
const BATCH_TRIANGLES: u32 = 1 << 20;
/// Input vertices per batch of a streamed layer's fills (strokes take half): a few MB of mesh
/// at a time, and few enough triangles that a software rasterizer's binned scene stays small
/// (`render` of a 100 MB file peaked at 298 MB with 32k, 309 MB with 64k, 368 MB with 128k,
/// strokes as fills; with strokes at half, 64k is as fast as 32k was and 3 MB lighter).
const STREAM_VERTICES: usize = 1 << 16;

/// A headless renderer with the map's layers uploaded; render as many views as needed.
pub struct Headless {
    pub gpu: Gpu,
    pub renderer: Renderer,
    pub layers: Vec<GpuLayer>,
    ui: Option<egui_wgpu::Renderer>,
    egui: egui::Context,
    /// Input vertices per batch of a streamed layer ([`Headless::render_streaming`]).
    pub stream_vertices: usize,
    /// The order a streamed layer is drawn in (`gpu::raster::default_order`).
    pub order: crate::mesh::order::Order,
    /// What the last streamed layer drew and left out as hidden (its skipped features aside).
    pub streamed: crate::mesh::stream::Streamed,
}

impl Headless {
    pub fn new(map: &Map) -> Result<Headless, GpuError> {
        Self::upload(Self::device()?, map)
    }

    /// The device and the compiled pipeline (the slow part of starting; it can run on another
    /// thread while files load).
    pub fn device() -> Result<(Gpu, Renderer), GpuError> {
        let gpu = Gpu::headless()?;
        let renderer = Renderer::new(&gpu.device, FORMAT);
        Ok((gpu, renderer))
    }

    /// Uploads the map's layers to a device from [`Headless::device`].
    pub fn upload((gpu, renderer): (Gpu, Renderer), map: &Map) -> Result<Headless, GpuError> {
        let layers = map
            .layers
            .iter()
            .map(|l| renderer.upload(&gpu.device, &l.mesh, &l.styles))
            .collect::<Result<_, _>>()?;
        Ok(Headless {
            gpu,
            renderer,
            layers,
            ui: None,
            egui: super::labels::egui_context(),
            stream_vertices: STREAM_VERTICES,
            order: crate::gpu::raster::default_order(),
            streamed: Default::default(),
        })
    }

    /// Hides the layers of these kinds.
    pub fn hide(&mut self, map: &Map, kinds: &[LayerKind]) {
        for (g, l) in self.layers.iter_mut().zip(&map.layers) {
            g.visible = !kinds.contains(&l.kind);
        }
    }

    pub fn visibility(&self) -> Vec<bool> {
        self.layers.iter().map(|l| l.visible).collect()
    }

    /// The map with the labels that fit.
    pub fn render_labelled(
        &mut self,
        map: &Map,
        camera: &Camera,
    ) -> Result<image::RgbaImage, GpuError> {
        let labels = place_labels(&map.layers, camera, &self.visibility());
        self.render_with(camera, &labels)
    }

    pub fn render(&mut self, camera: &Camera) -> Result<image::RgbaImage, GpuError> {
        self.render_with(camera, &[])
    }

    pub fn render_with(
        &mut self,
        camera: &Camera,
        labels: &[Label],
    ) -> Result<image::RgbaImage, GpuError> {
        let target = OffscreenTarget::new(&self.gpu.device, camera.size);
        let layers: Vec<&GpuLayer> = self.layers.iter().collect();
        self.renderer.render_batched(
            &self.gpu.device,
            &self.gpu.queue,
            &target.view,
            camera,
            &layers,
            BATCH_TRIANGLES,
            true,
        )?;
        self.finish(&target, camera, labels)
    }

    /// Paints `labels` over the drawn map and reads the target back.
    fn finish(
        &mut self,
        target: &OffscreenTarget,
        camera: &Camera,
        labels: &[Label],
    ) -> Result<image::RgbaImage, GpuError> {
        let mut encoder = self.gpu.device.create_command_encoder(&Default::default());
        if !labels.is_empty() {
            let ppp = camera.pixel_ratio;
            self.paint_ui(&mut encoder, target, camera.size, ppp, |painter| {
                paint_labels(painter, labels, ppp)
            });
        }
        target.copy_out(&mut encoder);
        self.gpu.queue.submit([encoder.finish()]);
        target.read(&self.gpu.device)
    }

    /// Draws the uploaded layers `indices` (drained) in one go over what the target holds.
    fn draw_uploaded(
        &mut self,
        target: &OffscreenTarget,
        camera: &Camera,
        indices: &mut Vec<usize>,
    ) -> Result<(), GpuError> {
        let layers: Vec<&GpuLayer> = indices.drain(..).map(|i| &self.layers[i]).collect();
        if layers.is_empty() {
            return Ok(());
        }
        self.renderer.render_batched(
            &self.gpu.device,
            &self.gpu.queue,
            &target.view,
            camera,
            &layers,
            BATCH_TRIANGLES,
            false,
        )
    }

    /// Draws `map` like [`Headless::render_labelled`] (labels if `labelled`), but a layer that
    /// has projected geometry and nothing on the device (one left untessellated) is streamed:
    /// simplified to `simplify_km` and tessellated a batch at a time (the features that reach
    /// the view, in file order) on another thread while the previous batch draws, uploaded,
    /// drawn and freed, so that its whole mesh is never in memory. Its fills, strokes and
    /// markers are streamed one after the other, so it stacks as if drawn whole in file order
    /// (but for a feature whose outline fails after its fill was drawn: the fill stays).
    /// Features the tessellator skipped are added to their layer's warnings.
    pub fn render_streaming(
        &mut self,
        map: &mut Map,
        camera: &Camera,
        labelled: bool,
        simplify_km: f64,
    ) -> Result<image::RgbaImage, GpuError> {
        let labels = if labelled {
            place_labels(&map.layers, camera, &self.visibility())
        } else {
            Vec::new()
        };
        let target = OffscreenTarget::new(&self.gpu.device, camera.size);
        // The background first: every draw below goes over what is there.
        self.renderer.render_batched(
            &self.gpu.device,
            &self.gpu.queue,
            &target.view,
            camera,
            &[],
            1,
            true,
        )?;
        // Streamed: what has projected geometry but nothing on the device (an overlay `render`
        // left untessellated, or one streamed before). The uploaded layers between streamed
        // ones are drawn together.
        let mut uploaded = Vec::new();
        for i in 0..map.layers.len() {
            let streamed =
                self.layers[i].is_empty() && map.layers[i].projected.iter().any(|g| g.is_some());
            if !streamed {
                uploaded.push(i);
                continue;
            }
            self.draw_uploaded(&target, camera, &mut uploaded)?;
            if self.layers[i].visible {
                let skipped = self.stream_layer(&map.layers[i], i, &target, camera, simplify_km)?;
                map.layers[i].record_skipped(&skipped);
            }
        }
        self.draw_uploaded(&target, camera, &mut uploaded)?;
        self.finish(&target, camera, &labels)
    }

    /// Streams one layer into the target (see [`Headless::render_streaming`]); returns the
    /// features the tessellator skipped. Front to back (`mesh::cover`), the layer is drawn
    /// into an image of its own that then goes over the target, as the window draws it.
    fn stream_layer(
        &mut self,
        layer: &crate::map::layer::MapLayer,
        index: usize,
        target: &OffscreenTarget,
        camera: &Camera,
        simplify_km: f64,
    ) -> Result<Vec<(u32, String)>, GpuError> {
        let inputs = layer.tess_inputs();
        let (device, queue) = (&self.gpu.device, &self.gpu.queue);
        let screen = camera.screen();
        if self.order.front_to_back(&inputs, &layer.styles, screen) {
            let background = self.renderer.background;
            let source = crate::gpu::raster::StreamSource {
                inputs: &inputs,
                styles: &layer.styles,
                tolerance_km: simplify_km,
                batch_vertices: self.stream_vertices,
                order: crate::mesh::order::Order::FrontToBack,
                precise: true,
            };
            let made = self.renderer.stream_image(
                device,
                queue,
                &mut self.layers[index],
                source,
                *camera,
                0,
                [false; 4],
                &mut |_| true,
            );
            self.renderer.background = background;
            let (image, mut streamed) = made?;
            let skipped = std::mem::take(&mut streamed.skipped);
            self.streamed = streamed;
            self.layers[index].image = Some(image);
            let drawn = self.renderer.render_batched(
                device,
                queue,
                &target.view,
                camera,
                &[&self.layers[index]],
                1,
                false,
            );
            self.layers[index].image = None;
            drawn?;
            return Ok(skipped);
        }
        // Only the features that reach the view: a zoomed figure of a big layer costs what it
        // shows.
        let boxes = crate::mesh::input::boxes(&inputs);
        let inside = crate::gpu::raster::reaching(&boxes, camera, self.layers[index].reach_px());
        let (renderer, gpu_layer) = (&mut self.renderer, &mut self.layers[index]);
        let result = crate::mesh::stream::stream(
            &inputs,
            &boxes,
            Some(&inside),
            self.stream_vertices,
            simplify_km,
            None,
            |mesh| {
                gpu_layer.set_mesh(device, &mesh)?;
                drop(mesh);
                renderer.render_batched(
                    device,
                    queue,
                    &target.view,
                    camera,
                    &[gpu_layer],
                    BATCH_TRIANGLES,
                    false,
                )
            },
        );
        // Nothing of the layer stays on the device.
        self.layers[index].set_mesh(&self.gpu.device, &Default::default())?;
        let mut streamed = result?;
        let skipped = std::mem::take(&mut streamed.skipped);
        self.streamed = streamed;
        Ok(skipped)
    }

    /// `image` with what `paint` paints (egui, in points of `pixels_per_point` pixels) drawn
    /// over it: a figure's text, legend and scale bar go over its composed map.
    pub fn paint_over(
        &mut self,
        image: &image::RgbaImage,
        pixels_per_point: f32,
        paint: impl Fn(&egui::Painter),
    ) -> Result<image::RgbaImage, GpuError> {
        let size = [image.width(), image.height()];
        let target = OffscreenTarget::new(&self.gpu.device, size);
        target.write(&self.gpu.queue, image);
        let mut encoder = self.gpu.device.create_command_encoder(&Default::default());
        self.paint_ui(&mut encoder, &target, size, pixels_per_point, paint);
        target.copy_out(&mut encoder);
        self.gpu.queue.submit([encoder.finish()]);
        target.read(&self.gpu.device)
    }

    /// The largest image side the device can draw.
    pub fn max_side(&self) -> u32 {
        self.gpu.device.limits().max_texture_dimension_2d
    }

    /// Runs one egui frame that paints with `paint` and draws it over the target (`size` physical
    /// pixels, `ppp` of them per egui point).
    fn paint_ui(
        &mut self,
        encoder: &mut wgpu::CommandEncoder,
        target: &OffscreenTarget,
        size_px: [u32; 2],
        ppp: f32,
        paint: impl Fn(&egui::Painter),
    ) {
        let size = egui::vec2(size_px[0] as f32 / ppp, size_px[1] as f32 / ppp);
        let mut input = egui::RawInput {
            screen_rect: Some(egui::Rect::from_min_size(egui::Pos2::ZERO, size)),
            ..Default::default()
        };
        input
            .viewports
            .entry(egui::ViewportId::ROOT)
            .or_default()
            .native_pixels_per_point = Some(ppp);
        let ctx = self.egui.clone();
        let mut output = ctx.run_ui(input, |ui| {
            let painter = ui.ctx().layer_painter(egui::LayerId::background());
            paint(&painter);
        });
        let jobs = ctx.tessellate(output.shapes, output.pixels_per_point);
        let device = &self.gpu.device;
        let queue = &self.gpu.queue;
        let ui = self.ui.get_or_insert_with(|| {
            egui_wgpu::Renderer::new(
                device,
                UI_FORMAT,
                egui_wgpu::RendererOptions {
                    dithering: false,
                    ..Default::default()
                },
            )
        });
        for (id, deltas) in output.textures_delta.set.drain() {
            for delta in deltas {
                ui.update_texture(device, queue, id, &delta);
            }
        }
        let screen = egui_wgpu::ScreenDescriptor {
            size_in_pixels: size_px,
            pixels_per_point: output.pixels_per_point,
        };
        let extra = ui.update_buffers(device, queue, encoder, &jobs, &screen);
        if !extra.is_empty() {
            queue.submit(extra);
        }
        crate::gpu::offscreen::draw_egui(encoder, &target.ui_view, ui, &jobs, &screen);
        for id in output.textures_delta.free.drain() {
            ui.free_texture(&id);
        }
    }
}
