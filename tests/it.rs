//! The one test binary (each extra binary would relink wgpu).

mod common;

mod archive_tests;
mod archive_window_tests;
mod article_tests;
mod bench_tests;
mod cli_tests;
mod data_tests;
mod document_tests;
mod figure_tests;
mod formats_tests;
mod fuzz_regressions;
mod loader_tests;
mod lod_tests;
mod reader_window_tests;
mod refine_window_tests;
mod render_tests;
mod shader_tests;
mod stream_tests;
mod style_tests;
mod window_tests;
mod world_tests;
mod world_window_tests;
