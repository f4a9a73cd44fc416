//! The floor the pipeline is compared against: read both sheets of an applications workbook with
//! calamine and write every cell back out with rust_xlsxwriter, nothing else.
//!
//!     cargo run --release --example floor -- samples/2025-04/applications.xlsx /tmp/floor.xlsx

use calamine::{Data, Reader, open_workbook_auto};
use rust_xlsxwriter::Workbook;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let args: Vec<String> = std::env::args().collect();
    let (input, output) = (args.get(1).ok_or("input workbook")?, args.get(2).ok_or("output workbook")?);
    let mut wb = open_workbook_auto(input)?;
    let mut out = Workbook::new();
    for name in wb.sheet_names() {
        let range = wb.worksheet_range(&name)?;
        let ws = out.add_worksheet_with_constant_memory()?.set_name(&name)?;
        for (r, row) in range.rows().enumerate() {
            for (c, cell) in row.iter().enumerate() {
                let (r, c) = (u32::try_from(r)?, u16::try_from(c)?);
                match cell {
                    Data::Float(f) => {
                        ws.write_number(r, c, *f)?;
                    }
                    Data::Empty => {}
                    other => {
                        ws.write_string(r, c, other.to_string())?;
                    }
                }
            }
        }
    }
    out.save(output)?;
    Ok(())
}
