//! Compile-pass and compile-fail cases for the derives; each failure's message and span are
//! pinned in a `.stderr` file next to the case.

#[test]
fn derives() {
    let cases = trybuild::TestCases::new();
    cases.pass("ui/pass/*.rs");
    cases.compile_fail("ui/fail/*.rs");
}
