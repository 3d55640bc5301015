//! Expansion snapshots: each derive's token-level function on representative input,
//! formatted with prettyplease (no nightly tools needed).

use proc_macro2::TokenStream;
use quote::quote;

fn pretty(tokens: TokenStream) -> String {
    match syn::parse2::<syn::File>(tokens.clone()) {
        Ok(file) => prettyplease::unparse(&file),
        Err(_) => tokens.to_string(),
    }
}

#[test]
fn validate_expansion() {
    let input = quote! {
        #[validate(required_if(members(period), when(charge = "PrePaid", renew = true)))]
        #[validate(exactly_one_of(key, password))]
        #[validate(allowed_values_if(member = period, one_of(1, 2, 3), when(unit = "Month")))]
        pub struct Request {
            #[validate(required)]
            pub id: String,
            #[validate(range(min = 1, max = 500))]
            pub count: Option<i32>,
            #[validate(default = "PostPaid", nested)]
            pub charge: Option<ChargeType>,
            pub renew: Option<bool>,
            pub period: Option<i32>,
            #[validate(nested)]
            pub unit: Option<Unit>,
            pub key: Option<String>,
            #[validate(length(min = 8, max = 30), pattern(regex = "^[a-z]*$", describe = "lower-case"), character_classes(min = 3, special = "!"))]
            pub password: Option<Sensitive<String>>,
            #[validate(items(max = 3), each(length(max = 64)))]
            pub ids: Option<Vec<String>>,
            #[validate(base64)]
            pub data: Option<String>,
        }
    };
    insta::assert_snapshot!(pretty(crate::validate::expand(input)));
}

#[test]
fn operation_expansion() {
    let input = quote! {
        #[operation(action = "ScaleOutCluster", version = "2015-12-15", method = "POST",
            path = "/api/v2/clusters/{ClusterId}/nodes/{NodeId}", idempotent = false, body = "json",
            output = Response)]
        pub struct Request {
            #[serde(skip)]
            #[operation(path = "ClusterId")]
            pub cluster_id: String,
            #[serde(skip)]
            #[operation(path = "NodeId")]
            pub node_id: String,
            #[serde(skip)]
            #[operation(query = "pageSize")]
            pub page_size: Option<i64>,
            #[serde(skip)]
            #[operation(header = "x-acs-extra")]
            pub extra: Option<String>,
            pub count: Option<i32>,
        }
    };
    insta::assert_snapshot!(pretty(crate::operation::expand(input)));
}

#[test]
fn builder_expansion() {
    let input = quote! {
        pub struct Request {
            /// The cluster.
            pub cluster_id: String,
            /// How many.
            pub count: Option<i32>,
            pub tags: Option<Vec<Tag>>,
            #[builder(base64)]
            pub user_data: Option<Sensitive<String>>,
        }
    };
    insta::assert_snapshot!(pretty(crate::builder::expand(input)));
}

#[test]
fn wire_enum_expansion() {
    let input = quote! {
        pub enum ChargeType {
            #[wire("PrePaid")]
            PrePaid,
            #[wire("PostPaid")]
            PostPaid,
            Unknown(String),
        }
    };
    insta::assert_snapshot!(pretty(crate::wire_enum::expand(input)));
}

#[test]
fn poll_expansion() {
    let input = quote! {
        #[poll(state = "state", success("success"), failure("fail", "cancelled"), failure_detail = "error", progress = "stage.name")]
        pub struct Answer {
            pub state: Option<String>,
            pub error: Option<TaskError>,
            pub stage: Option<Stage>,
        }
    };
    insta::assert_snapshot!(pretty(crate::poll::expand(input)));
}

#[test]
fn paginated_operation_expansion() {
    let input = quote! {
        #[operation(action = "DescribeClusterNodes", version = "2015-12-15", method = "GET",
            path = "/clusters/{ClusterId}/nodes", idempotent = true, body = "none", output = Response,
            paginate(page_number = "page_number", page_size = "page_size", items = "nodes", item = Node, total_count = "page.total_count"))]
        pub struct Request {
            #[serde(skip)]
            #[operation(path = "ClusterId")]
            pub cluster_id: String,
            #[serde(skip)]
            #[operation(query = "pageNumber")]
            pub page_number: Option<i32>,
            #[serde(skip)]
            #[operation(query = "pageSize")]
            pub page_size: Option<i32>,
        }
    };
    insta::assert_snapshot!(pretty(crate::operation::expand(input.clone())));
    insta::assert_snapshot!(pretty(crate::builder::expand(input)));
}

#[test]
fn wire_deserialize_expansion() {
    let input = quote! {
        #[serde(default)]
        pub struct Request {
            #[serde(skip)]
            pub cluster_id: String,
            #[serde(rename = "Name", skip_serializing_if = "Option::is_none")]
            pub name: Option<String>,
            #[serde(with = "acs_runtime::wire::string_encoded", skip_serializing_if = "Option::is_none")]
            pub size: Option<u32>,
            #[serde(skip_serializing_if = "Option::is_none")]
            pub r#type: Option<Kind>,
        }
    };
    insta::assert_snapshot!(pretty(crate::wire_deserialize::expand(input)));
}

#[test]
fn wire_deserialize_without_default_expansion() {
    let strict = quote! {
        pub struct Strict {
            pub id: String,
            #[serde(default)]
            pub level: i32,
        }
    };
    insta::assert_snapshot!(pretty(crate::wire_deserialize::expand(strict)));
}

#[test]
fn wire_deserialize_transparent_expansion() {
    let transparent = quote! {
        #[serde(transparent)]
        pub struct Response {
            pub body: Option<Vec<Item>>,
        }
    };
    insta::assert_snapshot!(pretty(crate::wire_deserialize::expand(transparent)));
}

#[test]
fn misuse_expands_to_compile_errors_not_panics() {
    let cases = [
        crate::validate::expand(quote!(
            struct S {
                #[validate(rnage(min = 1))]
                a: Option<i32>,
            }
        )),
        crate::validate::expand(quote!(
            struct S {
                #[validate(range(min = 5, max = 1))]
                a: Option<i32>,
            }
        )),
        crate::validate::expand(quote!(
            #[validate(exactly_one_of(a, nope))]
            struct S {
                a: Option<i32>,
            }
        )),
        crate::validate::expand(quote!(
            enum E {
                A,
            }
        )),
        crate::operation::expand(quote!(
            #[operation(action = "A", version = "v", method = "FETCH", path = "/x", output = O)]
            struct S {}
        )),
        crate::operation::expand(quote!(
            #[operation(action = "A", version = "v", method = "GET", path = "/x/{Id}", output = O)]
            struct S {}
        )),
        crate::wire_enum::expand(quote!(
            enum E {
                A,
                Unknown(String),
            }
        )),
        crate::builder::expand(quote!(
            struct S<T> {
                a: T,
            }
        )),
        crate::wire_deserialize::expand(quote!(
            #[serde(deny_unknown_fields)]
            struct S {
                a: Option<i32>,
            }
        )),
        crate::wire_deserialize::expand(quote!(
            struct S {
                #[serde(flatten)]
                a: Option<i32>,
            }
        )),
        crate::wire_deserialize::expand(quote!(
            struct S {
                #[serde(rename = "x")]
                a: Option<i32>,
                x: Option<i32>,
            }
        )),
        crate::wire_deserialize::expand(quote!(
            #[serde(transparent)]
            struct S {
                a: Option<i32>,
                b: Option<i32>,
            }
        )),
        crate::wire_deserialize::expand(quote!(
            struct S(i32);
        )),
        crate::wire_deserialize::expand(quote!(
            enum E {
                A,
            }
        )),
    ];
    for tokens in cases {
        assert!(tokens.to_string().contains("compile_error"), "{tokens}");
    }
}
