//! Search (issue 4): one Vietnamese analyzer ([`analyze`]), a small alias table
//! ([`aliases`]), the query plan both searches share ([`query`]), the tantivy index behind
//! `odp search` ([`index`]) and the static index the browser reads ([`browser`]).

pub mod aliases;
pub mod analyze;
pub mod browser;
pub mod docs;
pub mod index;
pub mod query;
