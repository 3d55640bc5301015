//! Every documented constraint and rule of ScaleOutCluster, each with a request that passes
//! and one that breaks it; plus all-at-once reporting, redaction and wire format.

use acs_cs20151215::ScaleOutClusterRequest;
use acs_cs20151215::ScaleOutClusterRequestBuilder;
use acs_cs20151215::operations::scale_out_cluster::{
    CpuPolicy, InstanceChargeType, PeriodUnit, WorkerDataDisk,
};
use acs_cs20151215::types::{Tag, Taint, TaintEffect};
use acs_runtime::validate::RuleKind;
use acs_runtime::{Operation, Validate, ValidationErrors};

/// A request that satisfies every rule; each test changes one thing.
fn valid() -> ScaleOutClusterRequestBuilder {
    ScaleOutClusterRequest::builder()
        .cluster_id("c82e6987e2961451182edacd74faf")
        .count(3)
        .key_pair("my-key")
        .worker_system_disk_size(120)
        .vswitch_ids(["vsw-1"])
}

fn violations(builder: ScaleOutClusterRequestBuilder) -> ValidationErrors {
    match builder.build() {
        Ok(request) => panic!("expected violations, the request passed: {request:?}"),
        Err(errors) => errors,
    }
}

fn assert_only(builder: ScaleOutClusterRequestBuilder, path: &str, rule: RuleKind) -> String {
    let errors = violations(builder);
    assert_eq!(
        errors.violations().len(),
        1,
        "expected one violation, got: {errors}"
    );
    assert!(
        errors.has(path, rule),
        "expected {rule} at {path}, got: {errors}"
    );
    errors.to_string()
}

#[test]
fn the_baseline_request_is_valid() {
    valid().build().expect("baseline must pass");
}

#[test]
fn cluster_id_is_required() {
    let request = valid().build_unvalidated();
    let mut without = request.clone();
    without.cluster_id.clear();
    let errors = without.validate().unwrap_err();
    assert!(errors.has("cluster_id", RuleKind::Required), "{errors}");
    // Even with validation skipped, an empty label cannot address the cluster.
    assert!(without.path().is_err());
}

#[test]
fn count_range() {
    assert!(valid().count(1).build().is_ok());
    assert!(valid().count(500).build().is_ok());
    let text = assert_only(valid().count(0), "count", RuleKind::Range);
    assert!(
        text.contains("1 to 500") && text.contains("got 0"),
        "{text}"
    );
    assert_only(valid().count(501), "count", RuleKind::Range);
}

#[test]
fn system_disk_size_range() {
    assert!(valid().worker_system_disk_size(40).build().is_ok());
    assert!(valid().worker_system_disk_size(500).build().is_ok());
    assert_only(
        valid().worker_system_disk_size(39),
        "worker_system_disk_size",
        RuleKind::Range,
    );
    assert_only(
        valid().worker_system_disk_size(501),
        "worker_system_disk_size",
        RuleKind::Range,
    );
}

#[test]
fn data_disk_size_range_with_item_path() {
    let disk = |size| {
        WorkerDataDisk::builder()
            .category("cloud_ssd")
            .size(size)
            .encrypted(true)
    };
    assert!(
        valid()
            .worker_data_disks([disk(40), disk(32767)])
            .build()
            .is_ok()
    );
    let text = assert_only(
        valid().worker_data_disks([disk(120), disk(20)]),
        "worker_data_disks[1].size",
        RuleKind::Range,
    );
    assert!(text.contains("40 to 32767"), "{text}");
    assert_only(
        valid().worker_data_disks([disk(32768)]),
        "worker_data_disks[0].size",
        RuleKind::Range,
    );
}

#[test]
fn vswitch_count() {
    assert!(valid().vswitch_ids(["a", "b", "c"]).build().is_ok());
    assert_only(
        valid().vswitch_ids(Vec::<String>::new()),
        "vswitch_ids",
        RuleKind::ItemCount,
    );
    assert_only(
        valid().vswitch_ids(["a", "b", "c", "d"]),
        "vswitch_ids",
        RuleKind::ItemCount,
    );
}

#[test]
fn tags_count_and_lengths() {
    let tag = |k: &str, v: &str| Tag::builder().key(k).value(v);
    assert!(
        valid()
            .tags((0..20).map(|i| tag(&format!("k{i}"), "v")))
            .build()
            .is_ok()
    );
    assert_only(
        valid().tags((0..21).map(|i| tag(&format!("k{i}"), "v"))),
        "tags",
        RuleKind::ItemCount,
    );
    assert!(
        valid()
            .tags([tag(&"k".repeat(64), &"v".repeat(128))])
            .build()
            .is_ok()
    );
    assert_only(
        valid().tags([tag(&"k".repeat(65), "v")]),
        "tags[0].key",
        RuleKind::Length,
    );
    assert_only(
        valid().tags([tag("k", "v"), tag("k", &"v".repeat(129))]),
        "tags[1].value",
        RuleKind::Length,
    );
}

#[test]
fn enums_reject_undocumented_values_but_keep_them() {
    assert!(
        valid()
            .worker_instance_charge_type(InstanceChargeType::PostPaid)
            .build()
            .is_ok()
    );
    let text = assert_only(
        valid().worker_instance_charge_type("Spot"),
        "worker_instance_charge_type",
        RuleKind::AllowedValues,
    );
    assert!(
        text.contains("\"PrePaid\", \"PostPaid\"") && text.contains("Spot"),
        "{text}"
    );
    assert!(
        valid()
            .cpu_policy(CpuPolicy::Static)
            .cpu_policy("none")
            .build()
            .is_ok()
    );
    assert_only(
        valid().cpu_policy("dynamic"),
        "cpu_policy",
        RuleKind::AllowedValues,
    );
    let taint = |effect: &str| Taint::builder().key("k").value("v").effect(effect);
    assert!(
        valid()
            .taints([
                taint("NoSchedule"),
                taint("NoExecute"),
                taint("PreferNoSchedule")
            ])
            .build()
            .is_ok()
    );
    assert_only(
        valid().taints([taint("NoSchedule"), taint("Evict")]),
        "taints[1].effect",
        RuleKind::AllowedValues,
    );
    assert_only(
        valid()
            .worker_instance_charge_type("PrePaid")
            .worker_period(1)
            .worker_period_unit("Week"),
        "worker_period_unit",
        RuleKind::AllowedValues,
    );
    // Skipping validation sends the unknown value as it is.
    let request = valid()
        .worker_instance_charge_type("Spot")
        .build_unvalidated();
    let body: serde_json::Value =
        serde_json::from_slice(&request.body().unwrap().unwrap()).unwrap();
    assert_eq!(body["worker_instance_charge_type"], "Spot");
    assert_eq!(
        InstanceChargeType::from("PrePaid"),
        InstanceChargeType::PrePaid
    );
    assert_eq!(TaintEffect::from("Evict").as_str(), "Evict");
}

#[test]
fn prepaid_requires_period_and_unit() {
    let prepaid = || valid().worker_instance_charge_type("PrePaid");
    assert!(
        prepaid()
            .worker_period(1)
            .worker_period_unit(PeriodUnit::Month)
            .build()
            .is_ok()
    );
    let errors = violations(prepaid());
    assert!(
        errors.has("worker_period", RuleKind::RequiredIf),
        "{errors}"
    );
    assert!(
        errors.has("worker_period_unit", RuleKind::RequiredIf),
        "{errors}"
    );
    assert_eq!(errors.violations().len(), 2, "{errors}");
    assert_only(
        prepaid().worker_period(1),
        "worker_period_unit",
        RuleKind::RequiredIf,
    );
    // PostPaid (explicit or by default) does not need them, and may carry them.
    assert!(valid().build().is_ok());
    assert!(
        valid()
            .worker_instance_charge_type("PostPaid")
            .worker_period(1)
            .worker_period_unit("Month")
            .build()
            .is_ok()
    );
}

#[test]
fn monthly_period_values() {
    let prepaid = |period| {
        valid()
            .worker_instance_charge_type("PrePaid")
            .worker_period(period)
            .worker_period_unit("Month")
    };
    for ok in [1, 2, 3, 6, 12] {
        assert!(prepaid(ok).build().is_ok(), "{ok}");
    }
    let text = assert_only(prepaid(4), "worker_period", RuleKind::AllowedValues);
    assert!(
        text.contains("1, 2, 3, 6, 12 when worker_period_unit is \"Month\""),
        "{text}"
    );
}

#[test]
fn auto_renew_period_is_required_when_prepaid_and_renewing() {
    let prepaid = || {
        valid()
            .worker_instance_charge_type("PrePaid")
            .worker_period(1)
            .worker_period_unit("Month")
    };
    assert!(
        prepaid()
            .worker_auto_renew(true)
            .worker_auto_renew_period(6)
            .build()
            .is_ok()
    );
    assert!(prepaid().worker_auto_renew(false).build().is_ok());
    assert_only(
        prepaid().worker_auto_renew(true),
        "worker_auto_renew_period",
        RuleKind::RequiredIf,
    );
    // Not PrePaid: auto renewal needs no period.
    assert!(valid().worker_auto_renew(true).build().is_ok());
    let text = assert_only(
        prepaid()
            .worker_auto_renew(true)
            .worker_auto_renew_period(5),
        "worker_auto_renew_period",
        RuleKind::AllowedValues,
    );
    assert!(text.contains("got 5"), "{text}");
}

#[test]
fn exactly_one_of_key_pair_and_password() {
    let neither = valid().set_key_pair(None);
    let text = assert_only(neither.clone(), "", RuleKind::ExactlyOneOf);
    assert!(
        text.contains("key_pair, login_password") && text.contains("none is set"),
        "{text}"
    );
    assert!(neither.clone().login_password("Hello@1234").build().is_ok());
    let both = valid().login_password("Hello@1234");
    let text = assert_only(both, "", RuleKind::ExactlyOneOf);
    assert!(text.contains("set: key_pair, login_password"), "{text}");
}

#[test]
fn login_password_rules_never_show_the_password() {
    let with = |password: &str| valid().set_key_pair(None).login_password(password);
    for ok in [
        "Hello@1234",
        "abcDEF12",
        "abc123!@#",
        "A1!bbbbbbbbbbbbbbbbbbbbbbbbbbb",
    ] {
        assert!(with(ok).build().is_ok(), "{ok}");
    }
    let short = assert_only(with("Ab1!xyz"), "login_password", RuleKind::Length);
    let long = assert_only(
        with(&format!("Ab1!{}", "x".repeat(27))),
        "login_password",
        RuleKind::Length,
    );
    let classes = assert_only(
        with("abcdefgh12"),
        "login_password",
        RuleKind::CharacterClasses,
    );
    let charset = assert_only(with("Hello 1234"), "login_password", RuleKind::Pattern);
    let unicode = assert_only(with("Hellö@1234"), "login_password", RuleKind::Pattern);
    for (text, secret) in [
        (short, "Ab1!xyz"),
        (long, "xxxxxxxxxx"),
        (classes, "abcdefgh12"),
        (charset, "Hello 1234"),
        (unicode, "Hellö"),
    ] {
        assert!(!text.contains(secret), "secret leaked: {text}");
    }
}

#[test]
fn user_data_is_base64_and_sensitive() {
    let script = b"#!/bin/sh\necho hello\n";
    let request = valid()
        .user_data_from_bytes(script)
        .build()
        .expect("encoded script is valid");
    let body: serde_json::Value =
        serde_json::from_slice(&request.body().unwrap().unwrap()).unwrap();
    assert_eq!(body["user_data"], "IyEvYmluL3NoCmVjaG8gaGVsbG8K");
    assert!(!format!("{request:?}").contains("IyEvYmluL3No"));
    assert!(valid().user_data("aGk=").build().is_ok());
    assert_only(
        valid().user_data("#!/bin/sh"),
        "user_data",
        RuleKind::Base64,
    );
    assert_only(valid().user_data("aGk"), "user_data", RuleKind::Base64);
}

#[test]
fn every_violation_is_reported_at_once_with_paths() {
    let builder = ScaleOutClusterRequest::builder()
        .cluster_id("c1")
        .count(0)
        .worker_instance_charge_type("PrePaid")
        .worker_period(5)
        .worker_period_unit("Month")
        .worker_auto_renew(true)
        .key_pair("k")
        .login_password("short")
        .vswitch_ids(["a", "b", "c", "d"])
        .worker_data_disks([
            WorkerDataDisk::builder().size(10),
            WorkerDataDisk::builder().size(100),
        ])
        .taints([Taint::builder().effect("Sometimes")]);
    let errors = violations(builder);
    let found: Vec<(&str, RuleKind)> = errors
        .violations()
        .iter()
        .map(|v| (v.path.as_str(), v.rule))
        .collect();
    let expected = [
        ("count", RuleKind::Range),
        ("login_password", RuleKind::Length),
        ("login_password", RuleKind::CharacterClasses),
        ("vswitch_ids", RuleKind::ItemCount),
        ("worker_data_disks[0].size", RuleKind::Range),
        ("taints[0].effect", RuleKind::AllowedValues),
        ("worker_auto_renew_period", RuleKind::RequiredIf),
        ("worker_period", RuleKind::AllowedValues),
        ("", RuleKind::ExactlyOneOf),
    ];
    for (path, rule) in expected {
        assert!(
            found.contains(&(path, rule)),
            "missing {rule} at {path:?} in: {errors}"
        );
    }
    assert_eq!(found.len(), expected.len(), "{errors}");
    let text = errors.to_string();
    assert!(
        text.starts_with("the request breaks 9 documented rules:"),
        "{text}"
    );
    assert!(!text.contains("short"), "password leaked: {text}");
}

#[test]
fn debug_redacts_secrets() {
    let request = valid()
        .set_key_pair(None)
        .login_password("Sup3r$ecretPw")
        .user_data_from_bytes("export TOKEN=hunter2")
        .build_unvalidated();
    let debug = format!(
        "{request:?} {:?}",
        ScaleOutClusterRequest::builder().login_password("Sup3r$ecretPw")
    );
    assert!(
        !debug.contains("Sup3r$ecretPw") && !debug.contains("ZXhwb3J0"),
        "{debug}"
    );
    assert!(debug.contains("login_password: Some(******)"), "{debug}");
}

#[test]
fn wire_format_matches_the_documentation() {
    let request = valid()
        .worker_data_disks([WorkerDataDisk::builder()
            .category("cloud_essd")
            .size(200)
            .encrypted(true)])
        .runtime(
            acs_cs20151215::types::Runtime::builder()
                .name("containerd")
                .version("1.6"),
        )
        .tags([Tag::builder().key("tier").value("前端 \"x\"\n")])
        .build()
        .unwrap();
    assert_eq!(
        request.path().unwrap(),
        "/api/v2/clusters/c82e6987e2961451182edacd74faf"
    );
    let body = String::from_utf8(request.body().unwrap().unwrap()).unwrap();
    assert_eq!(
        body,
        r#"{"count":3,"worker_system_disk_size":120,"key_pair":"my-key","runtime":{"name":"containerd","version":"1.6"},"vswitch_ids":["vsw-1"],"worker_data_disks":[{"category":"cloud_essd","encrypted":"true","size":"200"}],"tags":[{"key":"tier","value":"前端 \"x\"\n"}]}"#
    );
    assert_eq!(<ScaleOutClusterRequest as Operation>::METHOD, "POST");
    const { assert!(!<ScaleOutClusterRequest as Operation>::IDEMPOTENT) };
    let empty = ScaleOutClusterRequest::builder()
        .cluster_id("c 1/ä")
        .build_unvalidated();
    assert_eq!(empty.body().unwrap().unwrap(), b"{}");
    assert_eq!(empty.path().unwrap(), "/api/v2/clusters/c%201%2F%C3%A4");
}

#[test]
fn responses_are_parsed_leniently() {
    use acs_cs20151215::ScaleOutClusterResponse;
    let full: ScaleOutClusterResponse = serde_json::from_str(
        r#"{"cluster_id":"c","task_id":"T-1","request_id":"R","extra":{"x":1}}"#,
    )
    .unwrap();
    assert_eq!(full.task_id.as_deref(), Some("T-1"));
    let empty: ScaleOutClusterResponse = serde_json::from_str("{}").unwrap();
    assert!(empty.task_id.is_none() && empty.cluster_id.is_none());
    let disk: WorkerDataDisk =
        serde_json::from_str(r#"{"size":120,"encrypted":"false","category":"x"}"#).unwrap();
    assert_eq!((disk.size, disk.encrypted), (Some(120), Some(false)));
}
