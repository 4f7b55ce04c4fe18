use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    env_logger::Builder::from_env(
        env_logger::Env::default()
            .default_filter_or("warn,wgpu_hal::gles=off,wgpu_hal::vulkan=error"),
    )
    // Milliseconds: the log times loads, levels and images.
    .format_timestamp_millis()
    .init();
    let cli = borderlens::cli::Cli::parse();
    match borderlens::commands::run(cli) {
        Ok(code) => code,
        Err(e) => {
            eprintln!("error: {}", borderlens::commands::error_line(&e));
            ExitCode::FAILURE
        }
    }
}
