/** Redis's maxmemory-policy as INFO (section memory) reports it; undefined when INFO does not say. */
export function evictionPolicyOf(info: string): string | undefined {
  return /^maxmemory_policy:(\S+)/m.exec(info)?.[1];
}
