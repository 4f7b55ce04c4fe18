//! The crate's `mesh` modules (all of them: the mesh imports nothing else of the crate).

#[path = "../../src/mesh/chunks.rs"]
pub mod chunks;
#[path = "../../src/mesh/cover.rs"]
pub mod cover;
#[path = "../../src/mesh/fringe.rs"]
pub mod fringe;
#[path = "../../src/mesh/icons.rs"]
pub mod icons;
#[path = "../../src/mesh/input.rs"]
pub mod input;
#[path = "../../src/mesh/order.rs"]
pub mod order;
#[path = "../../src/mesh/simplify.rs"]
pub mod simplify;
#[path = "../../src/mesh/stream.rs"]
pub mod stream;
#[path = "../../src/mesh/tessellate.rs"]
pub mod tessellate;
#[path = "../../src/mesh/vertex.rs"]
pub mod vertex;
