//! Property tests: random valid requests validate, and their JSON body parses back equal.

use acs_cs20151215::ScaleOutClusterRequest;
use acs_cs20151215::operations::scale_out_cluster::WorkerDataDisk;
use acs_cs20151215::types::{Tag, Taint};
use acs_runtime::{Operation, Validate};
use proptest::prelude::*;

const SPECIAL: &str = "()`~!@#$%^&*-_+=|{}[]:;'<>,.?/";

fn password() -> impl Strategy<Value = String> {
    // One of each of three classes, then 5..27 more allowed characters, shuffled.
    let allowed: Vec<char> = ('a'..='z')
        .chain('A'..='Z')
        .chain('0'..='9')
        .chain(SPECIAL.chars())
        .collect();
    (
        proptest::sample::select(('A'..='Z').collect::<Vec<_>>()),
        proptest::sample::select(('a'..='z').collect::<Vec<_>>()),
        proptest::sample::select(SPECIAL.chars().collect::<Vec<_>>()),
        proptest::collection::vec(proptest::sample::select(allowed), 5..27),
    )
        .prop_flat_map(|(u, l, s, rest)| {
            let mut chars = vec![u, l, s];
            chars.extend(rest);
            Just(chars).prop_shuffle()
        })
        .prop_map(|chars| chars.into_iter().collect())
}

fn text() -> impl Strategy<Value = String> {
    "\\PC{0,12}"
}

fn disk() -> impl Strategy<Value = WorkerDataDisk> {
    (
        proptest::option::of(text()),
        proptest::option::of(any::<bool>()),
        proptest::option::of(40..=32767_i32),
    )
        .prop_map(|(category, encrypted, size)| {
            WorkerDataDisk::builder()
                .set_category(category)
                .set_encrypted(encrypted)
                .set_size(size)
                .into()
        })
}

fn tag() -> impl Strategy<Value = Tag> {
    ("\\PC{0,64}", "\\PC{0,128}")
        .prop_map(|(key, value)| Tag::builder().key(key).value(value).into())
}

fn taint() -> impl Strategy<Value = Taint> {
    (
        proptest::sample::select(vec!["NoSchedule", "NoExecute", "PreferNoSchedule"]),
        text(),
        text(),
    )
        .prop_map(|(effect, key, value)| {
            Taint::builder().effect(effect).key(key).value(value).into()
        })
}

prop_compose! {
    fn valid_request()(
        cluster_id in "[a-z0-9]{1,32}",
        count in proptest::option::of(1..=500_i32),
        prepaid in any::<bool>(),
        period in proptest::sample::select(vec![1, 2, 3, 6, 12]),
        renew in proptest::option::of(any::<bool>()),
        renew_period in proptest::sample::select(vec![1, 2, 3, 6, 12]),
        disk_size in proptest::option::of(40..=500_i32),
        use_password in any::<bool>(),
        password in password(),
        key in "[a-z-]{1,20}",
        vswitches in proptest::option::of(proptest::collection::vec("vsw-[a-z0-9]{4}", 1..=3)),
        disks in proptest::option::of(proptest::collection::vec(disk(), 0..4)),
        tags in proptest::option::of(proptest::collection::vec(tag(), 0..=20)),
        taints in proptest::option::of(proptest::collection::vec(taint(), 0..4)),
        user_data in proptest::option::of(proptest::collection::vec(any::<u8>(), 0..64)),
        image in proptest::option::of(text()),
        cpu in proptest::option::of(proptest::sample::select(vec!["static", "none"])),
    ) -> ScaleOutClusterRequest {
        let mut b = ScaleOutClusterRequest::builder()
            .cluster_id(cluster_id)
            .set_count(count)
            .set_worker_system_disk_size(disk_size)
            .set_vswitch_ids(vswitches)
            .set_worker_data_disks(disks)
            .set_tags(tags)
            .set_taints(taints)
            .set_image_id(image)
            .set_cpu_policy(cpu.map(Into::into))
            .set_worker_auto_renew(renew);
        if prepaid {
            b = b.worker_instance_charge_type("PrePaid").worker_period(period).worker_period_unit("Month");
            if renew == Some(true) {
                b = b.worker_auto_renew_period(renew_period);
            }
        }
        b = if use_password { b.login_password(password) } else { b.key_pair(key) };
        if let Some(raw) = user_data {
            b = b.user_data_from_bytes(raw);
        }
        b.build_unvalidated()
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(256))]

    #[test]
    fn valid_requests_validate_and_round_trip(request in valid_request()) {
        prop_assert!(request.validate().is_ok(), "{:?}", request.validate());
        let body = request.body().unwrap().unwrap();
        let parsed: ScaleOutClusterRequest = serde_json::from_slice(&body).unwrap();
        // The path label travels in the path, not the body.
        let mut expected = request.clone();
        expected.cluster_id = String::new();
        prop_assert_eq!(parsed, expected);
    }

    #[test]
    fn out_of_range_counts_are_always_reported(count in prop_oneof![i32::MIN..=0, 501..=i32::MAX]) {
        let request = ScaleOutClusterRequest::builder().cluster_id("c").key_pair("k").count(count).build_unvalidated();
        let errors = request.validate().unwrap_err();
        prop_assert!(errors.has("count", acs_runtime::validate::RuleKind::Range));
        prop_assert_eq!(errors.violations().len(), 1);
    }
}
