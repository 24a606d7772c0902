/**
 * A pure function of an object (and of settings), computed once per object: a profile state keeps
 * the parts a fact did not touch as the same objects, so what follows from them (the purchases of
 * an unchanged order ledger, the summary of unchanged page views) is not computed again when the
 * customer is scored again. Transparent: the same arguments give the same value either way.
 */
export function derivedOnce<Key extends object, Settings extends object, Value>(
  derive: (key: Key, settings: Settings) => Value,
): (key: Key, settings: Settings) => Value {
  const values = new WeakMap<Key, { settings: Settings; value: Value }>();
  return (key, settings) => {
    const known = values.get(key);
    if (known !== undefined && known.settings === settings) return known.value;
    const value = derive(key, settings);
    values.set(key, { settings, value });
    return value;
  };
}
