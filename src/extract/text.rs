//! Claims from text: prices, reductions, reference prices, multi-buys, validity, stock and unit prices,
//! in Italian, English, German, French and Spanish.
