//! The kinds of layer: each decides its base style and its place in the draw order.

/// What a layer is; decides its base style and its place in the draw order.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum LayerKind {
    /// The low-detail world around the detailed region (fills only, beneath everything).
    World,
    Seas,
    Countries,
    Provinces,
    Lakes,
    Regions,
    Borders,
    /// A user's GeoJSON file or an article's overlay, styled by its simplestyle properties.
    Overlay,
    Places,
}

impl LayerKind {
    pub fn is_base(self) -> bool {
        self != LayerKind::Overlay
    }

    /// Short name used on the command line (`--hide`) and in the layers panel.
    pub fn key(self) -> &'static str {
        match self {
            LayerKind::World => "world",
            LayerKind::Seas => "seas",
            LayerKind::Countries => "countries",
            LayerKind::Provinces => "provinces",
            LayerKind::Lakes => "lakes",
            LayerKind::Regions => "regions",
            LayerKind::Borders => "borders",
            LayerKind::Overlay => "overlay",
            LayerKind::Places => "places",
        }
    }
}
