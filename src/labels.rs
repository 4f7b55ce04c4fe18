//! Map labels.

use crate::camera::Camera;
use crate::layer::LayerKind;
use crate::map::Map;

pub fn draw_labels_on_image(
    _map: &Map,
    _camera: &Camera,
    _hidden: &[LayerKind],
    _image: &mut image::RgbaImage,
) {
}
