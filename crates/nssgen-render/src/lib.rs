//! Whole feed configurations through handlebars templates: the Admin Portal steps, Terraform,
//! the ZIA API body and the rsyslog concentrator, each carrying a profile's format as
//! `nssgen-profile` frames it.
//!
//! ```
//! use nssgen_render::feed::{Emit, FeedRequest};
//!
//! let feed = nssgen_render::Renderer::new().feed(&FeedRequest::new("sekoia", "web", Emit::Steps))
//!     .expect("sekoia web has an NSS VM feed");
//! assert_eq!(feed.formats[0].text, nssgen_profile::format("sekoia", "web", feed.target).unwrap().text);
//! ```
#![deny(missing_docs)]

pub mod feed;
mod templates;

use handlebars::Handlebars;

pub use feed::{Emit, Feed, FeedError, FeedRequest, IntakeKey, ALL_LOG_TYPES};

/// Renders feed configurations through the embedded templates.
#[derive(Debug)]
pub struct Renderer {
    templates: Handlebars<'static>,
}

impl Default for Renderer {
    fn default() -> Self {
        Self::new()
    }
}

impl Renderer {
    /// A renderer with the embedded feed templates registered (strict mode, no HTML escaping).
    pub fn new() -> Self {
        Renderer { templates: templates::registry() }
    }

    fn run(&self, template: &str, data: &serde_json::Value) -> Result<String, FeedError> {
        self.templates.render(template, data).map_err(|e| FeedError::template(template, e))
    }
}
