use acs_macros::{Builder, Operation, Validate, WireDeserialize, WireEnum};
use acs_runtime::{Operation as _, Sensitive, Validate as _};
use serde::Serialize;

#[derive(Clone, Debug, PartialEq, Eq, Hash, WireEnum)]
pub enum Charge {
    #[wire("PrePaid")]
    PrePaid,
    #[wire("PostPaid")]
    PostPaid,
    Unknown(String),
}

#[derive(Clone, Debug, Default, Serialize, WireDeserialize)]
#[serde(default)]
pub struct Response {
    #[serde(rename = "TaskId", skip_serializing_if = "Option::is_none")]
    pub task_id: Option<String>,
    #[serde(with = "acs_runtime::wire::string_encoded", skip_serializing_if = "Option::is_none")]
    pub size: Option<u32>,
    #[serde(skip)]
    pub cluster_id: String,
}

#[derive(Clone, Debug, Default, Serialize, WireDeserialize)]
#[serde(transparent)]
pub struct ListResponse {
    pub body: Option<Vec<Response>>,
}

#[derive(Clone, Debug, Default, Serialize, Validate, Builder, Operation)]
#[operation(action = "Scale", version = "2015-12-15", method = "POST", path = "/clusters/{ClusterId}", idempotent = false, body = "json", output = Response)]
#[validate(required_if(members(period), when(charge = "PrePaid")))]
#[validate(exactly_one_of(key, password))]
pub struct Request {
    #[serde(skip)]
    #[operation(path = "ClusterId")]
    #[validate(required)]
    pub cluster_id: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[validate(range(min = 1, max = 500))]
    pub count: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[validate(default = "PostPaid", nested)]
    pub charge: Option<Charge>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub period: Option<i32>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[validate(length(min = 8, max = 30))]
    pub password: Option<Sensitive<String>>,
    #[serde(skip_serializing_if = "Option::is_none")]
    #[validate(base64)]
    #[builder(base64)]
    pub data: Option<String>,
}

fn main() {
    let request = Request::builder().cluster_id("c").count(3).key("k").data_from_bytes("hi").build().unwrap();
    assert_eq!(request.path().unwrap(), "/clusters/c");
    assert!(Request::builder().cluster_id("c").charge("PrePaid").key("k").build().is_err());
    assert!(request.validate().is_ok());
    assert_eq!(Charge::from("PrePaid"), Charge::PrePaid);
    let list: ListResponse = serde_json::from_str(r#"[{"TaskId": "t", "size": "120"}]"#).unwrap();
    let items = list.body.unwrap();
    assert_eq!(items[0].task_id.as_deref(), Some("t"));
    assert_eq!(items[0].size, Some(120));
}
