//! Renderings from merchant feeds: Google Merchant Center RSS 2.0 (`g:` namespace) and TSV.
