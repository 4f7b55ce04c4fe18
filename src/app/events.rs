//! The window's own event: what the loading, levels, archive and watcher threads hand to the
//! event loop. Those threads take callbacks (`threads::Post`) made here, so that none of them
//! names this type: the work sits below the window that receives it.

use std::path::PathBuf;

use winit::event_loop::EventLoopProxy;

use super::archive::worker;
use super::files::Loaded;
use super::levels::{ImageMade, LevelMade};
use super::reproject::Reprojected;
use super::threads::Post;

pub enum UserEvent {
    /// A file finished loading (or failed).
    Loaded(Box<Loaded>),
    /// A watched file changed on disk.
    Changed(PathBuf),
    /// The open dialog closed: the chosen files, or why there was no dialog.
    Picked(Result<Vec<PathBuf>, String>),
    /// Every layer made again in another projection.
    Reprojected(Box<Reprojected>),
    /// News from an archive's thread (which opening of an archive, what).
    Archive(u64, Box<worker::Event>),
    /// A heavy layer's level of detail, made for a view that needed it.
    Level(Box<LevelMade>),
    /// A heavy layer's image, made for a view at rest (see `gpu::raster`).
    Image(Box<ImageMade>),
}

/// Makes the callbacks that hand each thread's result to the event loop.
#[derive(Clone)]
pub struct Poster(EventLoopProxy<UserEvent>);

impl Poster {
    pub fn new(proxy: EventLoopProxy<UserEvent>) -> Poster {
        Poster(proxy)
    }

    fn post<T: 'static>(&self, wrap: fn(T) -> UserEvent) -> impl Post<T> {
        let proxy = self.0.clone();
        // Sent only while the loop runs; afterwards there is no one to tell.
        move |t| {
            let _ = proxy.send_event(wrap(t));
        }
    }

    pub fn loaded(&self) -> impl Post<Loaded> {
        self.post(|l| UserEvent::Loaded(Box::new(l)))
    }

    pub fn changed(&self) -> impl Post<PathBuf> {
        self.post(UserEvent::Changed)
    }

    pub fn picked(&self) -> impl Post<Result<Vec<PathBuf>, String>> {
        self.post(UserEvent::Picked)
    }

    pub fn reprojected(&self) -> impl Post<Reprojected> {
        self.post(|r| UserEvent::Reprojected(Box::new(r)))
    }

    /// News of the archive opened as `generation`.
    pub fn archive(&self, generation: u64) -> impl Post<worker::Event> {
        let proxy = self.0.clone();
        move |e| {
            let _ = proxy.send_event(UserEvent::Archive(generation, Box::new(e)));
        }
    }

    pub fn level(&self) -> impl Post<LevelMade> {
        self.post(|l| UserEvent::Level(Box::new(l)))
    }

    pub fn image(&self) -> impl Post<ImageMade> {
        self.post(|i| UserEvent::Image(Box::new(i)))
    }
}
