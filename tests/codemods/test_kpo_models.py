# ruff: noqa: E501 - expected rewrites are byte-exact source lines
from tests.codemods.helpers import check_noop, check_transformed, diagnostics


def test_volume_positional_configs_becomes_typed_source():
    check_transformed(
        """\
        from airflow.contrib.kubernetes.volume import Volume
        v = Volume("data", {"persistentVolumeClaim": {"claimName": "pvc"}})
        """,
        """\
        from kubernetes.client import models as k8s
        v = k8s.V1Volume(name="data", persistent_volume_claim=k8s.V1PersistentVolumeClaimVolumeSource(claim_name="pvc"))
        """,
        select=["AU120"],
    )


def test_volume_keywords_multiline_nested_list_of_models():
    check_transformed(
        """\
        from airflow.kubernetes.volume import Volume

        v = Volume(
            name="cfg",
            configs={"configMap": {"name": "cm", "items": [{"key": "a", "path": "b"}]}},
        )
        """,
        """\
        from kubernetes.client import models as k8s

        v = k8s.V1Volume(
            name="cfg",
            config_map=k8s.V1ConfigMapVolumeSource(name="cm", items=[k8s.V1KeyToPath(key="a", path="b")]),
        )
        """,
        select=["AU120"],
    )


def test_empty_dir_and_host_path_keys_in_one_volume_call():
    check_transformed(
        """\
        from airflow.contrib.kubernetes.volume import Volume
        a = Volume(name="scratch", configs={"emptyDir": {}})
        b = Volume(name="h", configs={"hostPath": {"path": "/tmp", "type": "Directory"}})
        """,
        """\
        from kubernetes.client import models as k8s
        a = k8s.V1Volume(name="scratch", empty_dir=k8s.V1EmptyDirVolumeSource())
        b = k8s.V1Volume(name="h", host_path=k8s.V1HostPathVolumeSource(path="/tmp", type="Directory"))
        """,
        select=["AU120"],
    )


def test_volume_mount_positional_not_misordered():
    # 1.10.15 VolumeMount(name, mount_path, sub_path, read_only): all four positional
    check_transformed(
        """\
        from airflow.contrib.kubernetes.volume_mount import VolumeMount
        m = VolumeMount("data", "/data", None, True)
        """,
        """\
        from kubernetes.client import models as k8s
        m = k8s.V1VolumeMount(name="data", mount_path="/data", sub_path=None, read_only=True)
        """,
        select=["AU120"],
    )


def test_port_positional_is_name_then_container_port():
    # 1.10.15 Port(name=None, container_port=None): Port("http", 8080) names the port "http"
    check_transformed(
        """\
        from airflow.contrib.kubernetes.pod import Port
        p = Port("http", 8080)
        q = Port(container_port=9090, name="metrics")
        """,
        """\
        from kubernetes.client import models as k8s
        p = k8s.V1ContainerPort(name="http", container_port=8080)
        q = k8s.V1ContainerPort(container_port=9090, name="metrics")
        """,
        select=["AU120"],
    )


def test_attribute_form_keeps_import_still_used_elsewhere():
    check_transformed(
        """\
        import airflow.contrib.kubernetes.pod as kpod
        from kubernetes.client import models as k8s
        p = kpod.Port(name="http", container_port=80)
        pod = kpod.Pod("img", {}, ["ls"])
        """,
        """\
        import airflow.contrib.kubernetes.pod as kpod
        from kubernetes.client import models as k8s
        p = k8s.V1ContainerPort(name="http", container_port=80)
        pod = kpod.Pod("img", {}, ["ls"])
        """,
        select=["AU120"],
    )


def test_existing_models_alias_is_reused_and_module_import_removed():
    check_transformed(
        """\
        import kubernetes.client.models as km
        from airflow.contrib.kubernetes import volume_mount
        m = volume_mount.VolumeMount(name="d", mount_path="/d", sub_path="x", read_only=False)
        """,
        """\
        import kubernetes.client.models as km
        m = km.V1VolumeMount(name="d", mount_path="/d", sub_path="x", read_only=False)
        """,
        select=["AU120"],
    )


def test_resources_literal_values_safe_and_falsy_literals_dropped():
    check_transformed(
        """\
        from airflow.contrib.kubernetes.pod import Resources
        r = Resources(request_memory="1Gi", request_cpu="500m", limit_memory="2Gi", limit_gpu=None)
        """,
        """\
        from kubernetes.client import models as k8s
        r = k8s.V1ResourceRequirements(requests={"cpu": "500m", "memory": "1Gi"}, limits={"memory": "2Gi"})
        """,
        select=["AU120"],
    )


def test_resources_with_variable_is_unsafe_only():
    src = """\
        from airflow.contrib.kubernetes.pod import Resources
        r = Resources(limit_cpu=cpu)
        """
    check_noop(src, select=["AU120"])
    (d,) = diagnostics(src, select=["AU120"])
    assert d.fix == "unsafe" and "`limit_cpu` is never None/empty/0" in d.message
    check_transformed(
        src,
        """\
        from kubernetes.client import models as k8s
        r = k8s.V1ResourceRequirements(limits={"cpu": cpu})
        """,
        select=["AU120"],
        unsafe=True,
    )


def test_pod_runtime_info_env():
    check_transformed(
        """\
        from airflow.contrib.kubernetes.pod_runtime_info_env import PodRuntimeInfoEnv
        e = PodRuntimeInfoEnv("POD_IP", "status.podIP")
        """,
        """\
        from kubernetes.client import models as k8s
        e = k8s.V1EnvVar(name="POD_IP", value_from=k8s.V1EnvVarSource(field_ref=k8s.V1ObjectFieldSelector(field_path="status.podIP")))
        """,
        select=["AU120"],
    )


def test_import_inserted_after_the_first_import_block_and_partial_import_kept():
    check_transformed(
        """\
        \"\"\"A DAG.\"\"\"
        from airflow.contrib.kubernetes.pod import Port, Resources
        import os

        p = Port("http", 80)
        r = Resources
        """,
        """\
        \"\"\"A DAG.\"\"\"
        from airflow.contrib.kubernetes.pod import Resources
        import os
        from kubernetes.client import models as k8s

        p = k8s.V1ContainerPort(name="http", container_port=80)
        r = Resources
        """,
        select=["AU120"],
    )


def test_unmappable_volumes_are_reported_without_fix():
    src = """\
        from airflow.contrib.kubernetes.volume import Volume
        a = Volume("a", configs)
        b = Volume("b", {"persistentVolumeClaim": {"claim_name": "x"}})
        c = Volume("c", {"downwardAPI": {}})
        d = Volume("d", {"persistentVolumeClaim": {"readOnly": True}})
        e = Volume("e", {"persistentVolumeClaim": pvc})
        """
    check_noop(src, select=["AU120"])
    found = {d.line: d for d in diagnostics(src, select=["AU120"])}
    assert all(d.fix is None for d in found.values())
    assert "not a dict literal" in found[2].message
    assert (
        "'claim_name' is not a field of V1PersistentVolumeClaimVolumeSource (the API name is 'claimName')"
        in found[3].message
    )
    assert "1.10 raised AttributeError" in found[4].message
    assert "lacks 'claimName'" in found[5].message
    assert "configs['persistentVolumeClaim'] is not a dict literal" in found[6].message


def test_pod_and_rejected_secret_reported():
    src = """\
        from airflow.contrib.kubernetes.pod import Pod
        from airflow.contrib.kubernetes.secret import Secret
        pod = Pod("img", {}, ["ls"])
        ok = Secret("volume", "/etc/s", "s", "k")
        bad = Secret("volume", None, "s", key="k")
        """
    found = sorted((d.line, d.fix) for d in diagnostics(src, select=["AU120"]))
    assert found == [(3, None), (5, None)]


def test_check_mode_positions_and_noop_for_other_classes():
    (d,) = diagnostics(
        """\
        from airflow.contrib.kubernetes.pod import Port
        x = 1; p = Port("a", 1)
        """,
        select=["AU120"],
    )
    assert (d.code, d.line, d.col, d.fix, d.applied) == ("AU120", 2, 12, "safe", False)
    check_noop(
        """\
        from mylib.kubernetes.pod import Port
        p = Port("http", 8080)
        try:
            from airflow.contrib.kubernetes.pod import Port as P
            q = P("http", 8080)
        except ImportError:
            P = None
        """,
        select=["AU120"],
    )


def test_k8s_name_taken_is_reported():
    (d,) = diagnostics(
        """\
        import k8s
        from airflow.contrib.kubernetes.pod import Port
        p = Port("a", 1)
        """,
        select=["AU120"],
    )
    assert d.fix is None and "`k8s`" in d.message


def test_import_inside_function_pruned_and_block_kept_valid():
    check_transformed(
        """\
        def volumes():
            from airflow.contrib.kubernetes.volume import Volume
            return [Volume("a", {"emptyDir": {}})]

        if True:
            # the 1.10 model
            from airflow.contrib.kubernetes.pod import Port
        p = Port("a", 1)

        def unused_before():
            from airflow.contrib.kubernetes.pod import Resources
        """,
        """\
        from kubernetes.client import models as k8s
        def volumes():
            return [k8s.V1Volume(name="a", empty_dir=k8s.V1EmptyDirVolumeSource())]

        if True:
            # the 1.10 model
            pass
        p = k8s.V1ContainerPort(name="a", container_port=1)

        def unused_before():
            pass
        """,
        select=["AU120"],
    )


def test_flattened_multiline_configs_are_dedented_one_level():
    check_transformed(
        """\
        from airflow.contrib.kubernetes.volume import Volume
        v = Volume(
            name="cfg",
            configs={
                "configMap": {
                    "name": "cm",
                    "items": [{"key": "a", "path": "b"}],  # the file
                },
            },
        )
        """,
        """\
        from kubernetes.client import models as k8s
        v = k8s.V1Volume(
            name="cfg",
            config_map=k8s.V1ConfigMapVolumeSource(
                name="cm",
                items=[k8s.V1KeyToPath(key="a", path="b")],  # the file
            ),
        )
        """,
        select=["AU120"],
    )


def test_unused_model_import_removed_even_without_calls():
    src = """\
        import os
        from airflow.contrib.kubernetes.pod import Port, Resources as R  # noqa
        from airflow.contrib.kubernetes.secret import Secret
        s = Secret("env", "A", "s", "k")
        """
    check_transformed(
        src,
        """\
        import os
        from airflow.contrib.kubernetes.secret import Secret
        s = Secret("env", "A", "s", "k")
        """,
        select=["AU120"],
    )
    found = diagnostics(src, select=["AU120"])
    assert sorted((d.line, d.col, d.fix) for d in found) == [(2, 44, "safe"), (2, 50, "safe")]


def test_guarded_model_import_left_alone():
    check_noop(
        """\
        try:
            from airflow.contrib.kubernetes.pod import Port
        except ImportError:
            Port = None
        """,
        select=["AU120"],
    )


def test_configs_bound_once_to_a_module_level_dict_is_inlined():
    # the Airflow 1.10 documentation's KubernetesPodOperator example
    check_transformed(
        """\
        from airflow.contrib.kubernetes.volume import Volume
        volume_config = {"persistentVolumeClaim": {"claimName": "test-volume"}}
        volume = Volume(name="test-volume", configs=volume_config)
        """,
        """\
        from kubernetes.client import models as k8s
        volume_config = {"persistentVolumeClaim": {"claimName": "test-volume"}}
        volume = k8s.V1Volume(name="test-volume", persistent_volume_claim=k8s.V1PersistentVolumeClaimVolumeSource(claim_name="test-volume"))
        """,
        select=["AU120"],
    )


def test_configs_bound_once_inside_a_module_level_with_block_is_inlined():
    # `with DAG(...) as dag:` bodies run in the module's scope, in order
    check_transformed(
        """\
        from airflow import DAG
        from airflow.contrib.kubernetes.volume import Volume
        with DAG("d") as dag:
            volume_config = {"persistentVolumeClaim": {"claimName": "data"}}
            volume = Volume(name="data", configs=volume_config)
        """,
        """\
        from airflow import DAG
        from kubernetes.client import models as k8s
        with DAG("d") as dag:
            volume_config = {"persistentVolumeClaim": {"claimName": "data"}}
            volume = k8s.V1Volume(name="data", persistent_volume_claim=k8s.V1PersistentVolumeClaimVolumeSource(claim_name="data"))
        """,
        select=["AU120"],
    )


def test_configs_bound_in_a_function_or_branch_is_not_inlined():
    src = """\
        from airflow.contrib.kubernetes.volume import Volume
        def make():
            config = {"emptyDir": {}}
            return Volume(name="a", configs=config)
        if True:
            other = {"emptyDir": {}}
        b = Volume(name="b", configs=other)
        """
    check_noop(src, select=["AU120"])


def test_configs_name_used_twice_or_rebound_is_not_inlined():
    src = """\
        from airflow.contrib.kubernetes.volume import Volume
        shared = {"emptyDir": {}}
        a = Volume("a", shared)
        b = Volume("b", shared)
        other = {"emptyDir": {}}
        other["hostPath"] = {"path": "/x"}
        c = Volume("c", other)
        """
    check_noop(src, select=["AU120"])
    # the import stays, and fails on the target: reported too
    assert [d.line for d in diagnostics(src, select=["AU120"])] == [1, 3, 4, 7]


def test_resources_numeric_literals_of_any_spelling():
    check_transformed(
        """\
        from airflow.contrib.kubernetes.pod import Resources
        r = Resources(limit_gpu=0x1, limit_cpu=0.0, request_cpu=1_000, request_memory=0)
        """,
        """\
        from kubernetes.client import models as k8s
        r = k8s.V1ResourceRequirements(requests={"cpu": 1_000}, limits={"nvidia.com/gpu": 0x1})
        """,
        select=["AU120"],
    )


def test_fully_qualified_model_through_a_plain_package_import():
    check_transformed(
        """\
        import airflow.contrib.kubernetes.volume_mount
        m = airflow.contrib.kubernetes.volume_mount.VolumeMount("data", mount_path="/d", sub_path=None, read_only=True)
        """,
        """\
        import airflow.contrib.kubernetes.volume_mount
        from kubernetes.client import models as k8s
        m = k8s.V1VolumeMount(name="data", mount_path="/d", sub_path=None, read_only=True)
        """,
        select=["AU120"],
    )


def test_k8s_client_alone_is_not_this_rules_business():
    check_noop(
        """\
        from kubernetes.client import models as k8s
        executor_config = {"pod_override": k8s.V1Pod(metadata=k8s.V1ObjectMeta(name="x"))}
        """,
        select=["AU120"],
    )


def test_use_left_unrewritten_is_reported_at_its_import_too():
    found = diagnostics(
        """\
        from airflow.contrib.kubernetes.volume import Volume
        v = Volume(name="v", configs=make_configs())
        """,
        select=["AU120"],
    )
    assert sorted((d.line, d.fix) for d in found) == [(1, None), (2, None)], found


def test_k8s_import_goes_before_the_code_using_it():
    # the import service puts it by the first import block (before, after the file's last
    # import, it came after the module-level use: a NameError at DAG import)
    check_transformed(
        """\
        import os
        from airflow.contrib.kubernetes.volume_mount import VolumeMount
        mount = VolumeMount("data", mount_path="/data", sub_path=None, read_only=True)
        import json
        """,
        """\
        import os
        from kubernetes.client import models as k8s
        mount = k8s.V1VolumeMount(name="data", mount_path="/data", sub_path=None, read_only=True)
        import json
        """,
        select=["AU120"],
    )


def test_k8s_import_merged_into_an_import_from_kubernetes_client():
    check_transformed(
        """\
        import os
        from kubernetes.client import V1Pod
        from airflow.contrib.kubernetes.volume_mount import VolumeMount

        mount = VolumeMount("data", mount_path="/data", sub_path=None, read_only=True)
        """,
        """\
        import os
        from kubernetes.client import V1Pod, models as k8s

        mount = k8s.V1VolumeMount(name="data", mount_path="/data", sub_path=None, read_only=True)
        """,
        select=["AU120"],
    )


def test_pruned_imports_keep_their_layout_and_go_once_renamed_by_au101():
    # (the import service drops the names: before it, the trailing comma and the line of `)`
    # were lost, and an import AU101 had renamed to the 2.0 backcompat module stayed, unused)
    check_transformed(
        """\
        from airflow.contrib.kubernetes.volume_mount import (
            VolumeMount,
        )
        from airflow.contrib.kubernetes.volume import (
            Volume,
            Other,
        )
        import os
        m = VolumeMount("d", mount_path="/d", sub_path=None, read_only=True)
        Other
        """,
        """\
        from airflow.contrib.kubernetes.volume import (
            Other,
        )
        import os
        from kubernetes.client import models as k8s
        m = k8s.V1VolumeMount(name="d", mount_path="/d", sub_path=None, read_only=True)
        Other
        """,
        target="2.0",
    )


def test_an_import_left_alone_in_a_function_becomes_pass_with_other_rules_on():
    check_transformed(
        """\
        import os
        def f():
            from airflow.contrib.kubernetes.volume import Volume
        x = 1
        """,
        """\
        import os
        def f():
            pass
        x = 1
        """,
        target="3",
    )
