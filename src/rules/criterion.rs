//! Criteria: analyst-readable SQL conditions (`age_months BETWEEN 8 AND 26`) compiled to polars
//! expressions once, and checked against the frame's schema before any row is read.

use polars::prelude::*;

/// Why a condition cannot be used.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum CriterionError {
    Syntax(String),
    UnknownField { name: String },
    NotBoolean(String),
}

/// Parses `text` and checks it against `schema`: it must parse, name only known columns and give
/// a boolean. Returns the expression and the columns it reads.
pub fn compile(text: &str, schema: &Schema) -> Result<(Expr, Vec<String>), CriterionError> {
    let expr = polars::sql::sql_expr(text).map_err(|e| CriterionError::Syntax(clean(&e.to_string())))?;
    let mut fields: Vec<String> = Vec::new();
    for name in expr.clone().meta().root_names() {
        let name = name.to_string();
        if schema.get(&name).is_none() {
            return Err(CriterionError::UnknownField { name });
        }
        if !fields.contains(&name) {
            fields.push(name);
        }
    }
    let empty = DataFrame::empty_with_schema(schema);
    let out = empty
        .lazy()
        .select([expr.clone().alias("ok")])
        .collect()
        .map_err(|e| CriterionError::Syntax(clean(&e.to_string())))?;
    let dtype = out.column("ok").map(|c| c.dtype().clone()).unwrap_or(DataType::Null);
    if dtype != DataType::Boolean {
        return Err(CriterionError::NotBoolean(dtype.to_string()));
    }
    Ok((expr, fields))
}

fn clean(s: &str) -> String {
    let first = s.lines().next().unwrap_or(s).trim();
    first.strip_prefix("SQLInterface: ").or_else(|| first.strip_prefix("SQLSyntax: ")).unwrap_or(first).to_owned()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn schema() -> Schema {
        [
            Field::new("age_months".into(), DataType::Float64),
            Field::new("breed".into(), DataType::String),
            Field::new("herd_size".into(), DataType::Float64),
            Field::new("isj_reg_date".into(), DataType::Date),
            Field::new("submitted_date".into(), DataType::Date),
        ]
        .into_iter()
        .collect()
    }

    #[test]
    fn each_kind_of_condition_compiles() {
        for text in [
            "age_months BETWEEN 8 AND 26",
            "breed IN ('ангусская', 'герефордская')",
            "herd_size >= 20",
            "isj_reg_date <= submitted_date",
            "herd_size IS NOT NULL AND (age_months < 18 OR breed = 'x')",
        ] {
            let (_, fields) = compile(text, &schema()).unwrap_or_else(|e| panic!("{text}: {e:?}"));
            assert!(!fields.is_empty());
        }
    }

    #[test]
    fn unknown_field_is_reported_even_when_a_keyword_parses_as_a_name() {
        assert_eq!(compile("herd_size >= AND", &schema()), Err(CriterionError::UnknownField { name: "AND".into() }));
        assert_eq!(
            compile("agee_months > 8", &schema()).unwrap_err(),
            CriterionError::UnknownField { name: "agee_months".into() }
        );
    }

    #[test]
    fn non_boolean_and_syntax_errors() {
        assert_eq!(compile("herd_size * 2", &schema()), Err(CriterionError::NotBoolean("f64".into())));
        assert!(matches!(compile("age_months BETWEEN 8 AND", &schema()), Err(CriterionError::Syntax(_))));
    }

    #[test]
    fn evaluates_over_a_frame() {
        let df = df!("age_months" => [Some(7.0), Some(14.0), None]).unwrap();
        let s: Schema = [Field::new("age_months".into(), DataType::Float64)].into_iter().collect();
        let (e, _) = compile("age_months BETWEEN 8 AND 26", &s).unwrap();
        let out = df.lazy().select([e.alias("ok")]).collect().unwrap();
        let v: Vec<Option<bool>> = out.column("ok").unwrap().bool().unwrap().iter().collect();
        assert_eq!(v, [Some(false), Some(true), None]);
    }
}
