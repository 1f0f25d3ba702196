//! Renderings from web pages: schema.org Product / Offer in JSON-LD, microdata and RDFa, and OpenGraph
//! `product:` tags.
