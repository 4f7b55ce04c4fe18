//! `borderlens annotate`: articles to overlays (GeoJSON) or gold-shaped JSON lines.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::{bail, Context, Result};
use rayon::prelude::*;

use crate::article::{open_gold_json, Article, Gazetteer, Geoparser, World};
use crate::cli::AnnotateArgs;
use crate::map::entities::{article_geojson, article_overlay, ArticleOverlay};
use crate::map::overlay::is_article;

/// Reads and annotates one article into its overlay (settlements, crossings and the stretches
/// of border it localises included); warnings and a text that names nothing are said on stderr.
pub fn annotate_file(path: &Path) -> Result<(Article, ArticleOverlay)> {
    let article = Article::from_path(path)?;
    for w in &article.warnings {
        eprintln!("warning: {}:{w}", path.display());
    }
    let text = article.annotation_text();
    let open = Geoparser::embedded().annotate_open(&text);
    if open.entities.is_empty() && open.located.settlements.is_empty() {
        eprintln!("{}", no_mentions(path));
    }
    let overlay = article_overlay(Gazetteer::embedded(), World::embedded(), &text, open);
    Ok((article, overlay))
}

/// The one line saying an article names nothing the map can show.
pub fn no_mentions(path: &Path) -> String {
    format!(
        "note: {}: no places, regions or borders found in this article",
        path.display()
    )
}

/// Article files named directly, and those inside folders (sorted).
fn collect_articles(inputs: &[PathBuf]) -> Result<Vec<PathBuf>> {
    let mut out = Vec::new();
    for p in inputs {
        if p.is_dir() {
            let mut v: Vec<PathBuf> = std::fs::read_dir(p)
                .with_context(|| format!("{}: cannot list the folder", p.display()))?
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.is_file() && is_article(p))
                .collect();
            v.sort();
            out.extend(v);
        } else if p.exists() {
            out.push(p.clone());
        } else {
            bail!("{}: no such file or folder", p.display());
        }
    }
    Ok(out)
}

fn progress(n: usize) -> indicatif::ProgressBar {
    if n < 2 {
        return indicatif::ProgressBar::hidden();
    }
    let pb = indicatif::ProgressBar::new(n as u64);
    pb.set_style(
        indicatif::ProgressStyle::with_template(
            "{spinner} annotating [{bar:40}] {pos}/{len} {per_sec} eta {eta}",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> "),
    );
    pb
}

pub fn annotate(a: AnnotateArgs) -> Result<ExitCode> {
    let files = collect_articles(&a.inputs)?;
    if files.is_empty() {
        bail!("no articles (.txt, .md, .html) found");
    }
    let pb = progress(files.len());
    if a.json {
        let lines: Vec<Result<String>> = files
            .par_iter()
            .map(|p| {
                let r = Article::from_path(p).map(|art| {
                    for w in &art.warnings {
                        eprintln!("warning: {}:{w}", p.display());
                    }
                    let open = Geoparser::embedded().annotate_open(&art.annotation_text());
                    if open.entities.is_empty() && open.located.settlements.is_empty() {
                        eprintln!("{}", no_mentions(p));
                    }
                    open_gold_json(&p.display().to_string(), &open).to_string()
                });
                let r = r.map_err(anyhow::Error::from);
                pb.inc(1);
                r
            })
            .collect();
        pb.finish_and_clear();
        let mut out = std::io::stdout().lock();
        let mut failed = false;
        for l in lines {
            match l {
                Ok(l) => writeln!(out, "{l}")?,
                Err(e) => {
                    eprintln!("error: {e}");
                    failed = true;
                }
            }
        }
        return Ok(if failed {
            ExitCode::FAILURE
        } else {
            ExitCode::SUCCESS
        });
    }
    // Overlays: one file → -o FILE; several → -o FOLDER; default beside each article.
    let single = files.len() == 1 && !a.output.as_ref().is_some_and(|o| o.is_dir());
    if let (false, Some(dir)) = (single, &a.output) {
        std::fs::create_dir_all(dir)
            .with_context(|| format!("{}: cannot create the folder", dir.display()))?;
    }
    let results: Vec<Result<PathBuf>> = files
        .par_iter()
        .map(|p| {
            let (article, overlay) = annotate_file(p)?;
            let overlay = article_geojson(&article, &overlay);
            let out = match (&a.output, single) {
                (Some(o), true) => o.clone(),
                (Some(dir), false) => {
                    dir.join(p.with_extension("geojson").file_name().unwrap_or_default())
                }
                (None, _) => p.with_extension("geojson"),
            };
            std::fs::write(&out, serde_json::to_string(&overlay)?)
                .with_context(|| format!("{}: cannot write", out.display()))?;
            pb.inc(1);
            Ok(out)
        })
        .collect();
    pb.finish_and_clear();
    let mut failed = 0;
    for r in &results {
        if let Err(e) = r {
            eprintln!("error: {}", super::error_line(e));
            failed += 1;
        }
    }
    eprintln!(
        "wrote {} overlays{}",
        results.len() - failed,
        if failed > 0 {
            format!(", {failed} failed")
        } else {
            String::new()
        }
    );
    Ok(if failed > 0 {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
