// The command-line options the benches take: `--name N` numbers and `--flag` switches.
const args = process.argv.slice(2);

/** The number after `--name`, or `fallback` when the option is not given. */
export function numberOption(name: string, fallback: number): number {
  return args.includes(name) ? Number(args[args.indexOf(name) + 1]) : fallback;
}

/** True when the switch `--name` is given. */
export function hasFlag(name: string): boolean {
  return args.includes(name);
}
