//! The desktop viewer (winit + egui over the shared renderer).

use crate::cli::ViewArgs;

pub fn run(_args: ViewArgs) -> anyhow::Result<()> {
    anyhow::bail!("the viewer is not built yet")
}
