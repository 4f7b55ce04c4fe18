//! Headless drawing of a map to an image, through the same `gpu::Renderer` as the window.

use crate::camera::Camera;
use crate::gpu::offscreen::{Gpu, OffscreenTarget, FORMAT};
use crate::gpu::{GpuError, GpuLayer, Renderer};
use crate::layer::LayerKind;
use crate::map::Map;

/// A headless renderer with the map's layers uploaded; render as many views as needed.
pub struct Headless {
    pub gpu: Gpu,
    pub renderer: Renderer,
    pub layers: Vec<GpuLayer>,
}

impl Headless {
    pub fn new(map: &Map) -> Result<Headless, GpuError> {
        let gpu = Gpu::headless()?;
        let renderer = Renderer::new(&gpu.device, FORMAT);
        let layers = map
            .layers
            .iter()
            .map(|l| renderer.upload(&gpu.device, &l.mesh, &l.styles))
            .collect();
        Ok(Headless {
            gpu,
            renderer,
            layers,
        })
    }

    /// Hides the layers of these kinds.
    pub fn hide(&mut self, map: &Map, kinds: &[LayerKind]) {
        for (g, l) in self.layers.iter_mut().zip(&map.layers) {
            g.visible = !kinds.contains(&l.kind);
        }
    }

    pub fn render(&mut self, camera: &Camera) -> Result<image::RgbaImage, GpuError> {
        let target = OffscreenTarget::new(&self.gpu.device, camera.size);
        let mut encoder = self.gpu.device.create_command_encoder(&Default::default());
        self.renderer.render(
            &self.gpu.device,
            &self.gpu.queue,
            &mut encoder,
            &target.view,
            camera,
            &self.layers,
        );
        target.copy_out(&mut encoder);
        self.gpu.queue.submit([encoder.finish()]);
        target.read(&self.gpu.device)
    }
}
