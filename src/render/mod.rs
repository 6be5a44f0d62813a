//! Pure functions from typed values to text: the printable documents as HTML and Markdown.
//!
//! Each format has one module with one function per document; what the two share (the
//! words, facts and tables of each document) is built once in `common`.

mod common;
pub mod html;
pub mod markdown;

#[cfg(test)]
mod samples;
#[cfg(test)]
mod tests;
