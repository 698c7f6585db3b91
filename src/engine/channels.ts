/**
 * UTM channels: one advertising network arrives under many spellings ("yandex", "Yandex",
 * "yandex.direct"). Values are folded (trimmed, lower case, inner spaces collapsed) and looked up
 * in an alias map (channel → spellings, settings `analytics.sourceAliases`); a value no alias
 * names is its own channel under its folded spelling. Deals keep the raw value for drill-down.
 */

/** Common networks on Russian-speaking and international portals. */
export const DEFAULT_SOURCE_ALIASES: Readonly<Record<string, readonly string[]>> = {
  yandex: ['ya', 'yandex.direct', 'yandex_direct', 'yandexdirect', 'direct', 'yandex direct', 'яндекс', 'ya.ru'],
  google: ['google ads', 'googleads', 'google_ads', 'adwords', 'google adwords', 'google.com'],
  vk: ['vkontakte', 'vk.com', 'vk ads', 'vk_ads', 'vkads', 'вконтакте', 'вк'],
  facebook: ['fb', 'facebook.com', 'facebook ads', 'fb_ads', 'meta'],
  instagram: ['ig', 'insta', 'instagram.com'],
  telegram: ['tg', 't.me', 'telegram ads', 'телеграм'],
  mytarget: ['my.target', 'mytarget.ru', 'target.my.com'],
  ok: ['odnoklassniki', 'ok.ru', 'одноклассники'],
  whatsapp: ['wa', 'wa.me'],
  avito: ['avito.ru', 'авито'],
}

export type SourceAliases = Record<string, string[]>

export function foldChannel(raw: string): string {
  return raw.trim().toLowerCase().replace(/\s+/g, ' ')
}

/** Maps a raw UTM value to its channel key (null when empty). */
export function channelResolver(
  aliases: Readonly<Record<string, readonly string[]>>,
): (raw: string | null) => string | null {
  const index = new Map<string, string>()
  for (const [channel, spellings] of Object.entries(aliases)) {
    const key = foldChannel(channel)
    if (!key) continue
    index.set(key, key)
    for (const s of spellings) {
      const f = foldChannel(s)
      // The first channel to claim a spelling keeps it: a map typed by hand may repeat one.
      if (f && !index.has(f)) index.set(f, key)
    }
  }
  const seen = new Map<string, string | null>()
  return (raw) => {
    if (raw === null || raw === undefined) return null
    let key = seen.get(raw)
    if (key === undefined) {
      const f = foldChannel(raw)
      key = f === '' ? null : (index.get(f) ?? f)
      seen.set(raw, key)
    }
    return key
  }
}
