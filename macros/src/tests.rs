#[cfg(test)] mod dummy {}
