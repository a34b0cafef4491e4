"""course_tools.rfm_engines (make bench): the scale-100 data it builds keeps the stacked companies apart."""

from __future__ import annotations


def test_scale_100_data_stacks_companies_with_distinct_ids(tmp_path) -> None:
    import pandas as pd

    from course_tools.rfm_engines import _stacked_copy
    from course_utils.data import load_transactions
    from course_utils.features import rfm_table
    from course_utils.spark.rfm import transactions_csv

    stacked = tmp_path / "stacked.csv"
    _stacked_copy([transactions_csv(), transactions_csv()], stacked)
    lines = pd.read_csv(stacked, parse_dates=["invoice_date"], dtype={"customer_id": str, "invoice": str})
    single = rfm_table(load_transactions())
    both = rfm_table(lines)
    assert len(lines) == 2 * len(load_transactions())
    assert len(both) == 2 * len(single), "the two companies' customers must stay apart"
    assert both.loc["K2" + single.index[0]].tolist() == single.iloc[0].tolist()
