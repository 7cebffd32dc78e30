//! `stance eval`: figures on a tiny gold file computed by hand, and the seed's floor.

use crate::util::{fixture, p, stance};

#[test]
fn figures_match_a_hand_computation() {
    // tiny-gold.json: g1 PF->PF, g2 PB->PB, g3 neutral->neutral, g4 PB->neutral (no evidence),
    // g5 PB->PB. Accuracy 4/5. F1: PB 2*1*(2/3)/(1+2/3)=0.8, PF 1, neutral 2*0.5*1/1.5=0.6667;
    // mixed never occurs, so macro-F1 = (0.8+1+0.6667)/3 = 0.8222. Majority (PB, 3/5):
    // accuracy 0.6, macro-F1 over PB/PF/neutral = (0.75+0+0)/3 = 0.25. professional_voice:
    // gold g4,g5, predicted g5 -> P 1, R 0.5, F1 0.6667.
    let report = stance(&["eval", "--format", "json", p(&fixture("tiny-gold.json"))])
        .ok()
        .json();
    assert_eq!(report["comments"], 5);
    assert_eq!(report["accuracy"], 0.8);
    assert_eq!(report["macro_f1"], 0.8222);
    assert_eq!(report["majority_baseline"]["stance"], "pro-boundary");
    assert_eq!(report["majority_baseline"]["accuracy"], 0.6);
    assert_eq!(report["majority_baseline"]["macro_f1"], 0.25);
    assert_eq!(report["per_class"]["pro-boundary"]["recall"], 0.6667);
    assert_eq!(report["per_class"]["neutral"]["precision"], 0.5);
    assert_eq!(
        report["confusion"]["matrix"],
        serde_json::json!([[2, 0, 0, 1], [0, 1, 0, 0], [0, 0, 0, 0], [0, 0, 0, 1]])
    );
    assert_eq!(report["flags"]["professional_voice"]["precision"], 1.0);
    assert_eq!(report["flags"]["professional_voice"]["recall"], 0.5);
}

#[test]
fn errors_list_the_misclassified_comments() {
    let out = stance(&["eval", "--errors", p(&fixture("tiny-gold.json"))]).ok();
    assert!(
        out.stdout.contains("stance macro-F1: 0.8222"),
        "{}",
        out.stdout
    );
    assert!(
        out.stdout
            .contains("g4: gold pro-boundary, predicted neutral"),
        "{}",
        out.stdout
    );
    assert!(!out.stdout.contains("g1: gold"), "{}", out.stdout);
}

#[test]
fn the_seed_reaches_the_floor() {
    let report = stance(&["eval", "--format", "json", p(&fixture("goodtherapy.json"))])
        .ok()
        .json();
    assert_eq!(report["comments"], 47);
    let macro_f1 = report["macro_f1"].as_f64().unwrap();
    assert!(macro_f1 >= 0.80, "seed macro-F1 {macro_f1} is below 0.80");
}

#[test]
fn a_file_without_labels_is_a_usage_error() {
    let out = stance(&["eval", p(&fixture("small-array.json"))]);
    assert_eq!(out.code, 2);
    assert!(
        out.stderr.contains("no comment carries `labels`"),
        "{}",
        out.stderr
    );
}
