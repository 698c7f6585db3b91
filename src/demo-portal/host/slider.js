// The Bitrix24 side slider: a panel that slides in from the right over the page.
// Everything shown in it is set as text: CRM titles and names are untrusted.

const $ = (id) => document.getElementById(id)

let current = null

/**
 * Opens the slider and resolves when it closes (close button, overlay click, Escape, or
 * closeSlider()). Opening another slider closes this one first, so every opener is answered.
 *
 * @param {{label: string, title: string, path?: string, width?: number,
 *          fields?: Promise<Array<[string, string]>>, frame?: HTMLIFrameElement}} view
 * @returns {Promise<void>}
 */
export function openSlider(view) {
  if (current) closeSlider()
  const root = $('slider')
  $('slider-label').textContent = view.label
  $('slider-title').textContent = view.title
  $('slider-path').textContent = view.path ?? ''
  $('slider-fields').replaceChildren()
  $('slider-body').replaceChildren()
  $('slider-panel').style.width = view.width ? `min(${Math.round(view.width)}px, 92vw)` : ''
  if (view.frame) $('slider-body').append(view.frame)
  root.hidden = false
  const closed = new Promise((resolve) => {
    current = { resolve }
  })
  if (view.fields) void showFields(view.fields)
  return closed
}

export function closeSlider() {
  if (!current) return
  const { resolve } = current
  current = null
  $('slider').hidden = true
  $('slider-body').replaceChildren()
  resolve()
}

export function isSliderOpen() {
  return current !== null
}

async function showFields(fieldsPromise) {
  const list = $('slider-fields')
  const owner = current
  let rows
  try {
    rows = await fieldsPromise
  } catch (err) {
    rows = [['Error', err instanceof Error ? err.message : String(err)]]
  }
  if (current !== owner) return // closed or replaced meanwhile
  for (const [label, value] of rows) {
    const dt = document.createElement('dt')
    dt.textContent = label
    const dd = document.createElement('dd')
    dd.textContent = value
    dd.dataset.field = label.toLowerCase()
    list.append(dt, dd)
  }
}

export function wireSliderControls() {
  $('slider-close').addEventListener('click', closeSlider)
  $('slider-overlay').addEventListener('click', closeSlider)
  document.addEventListener('keydown', (e) => {
    if (e.key === 'Escape') closeSlider()
  })
}
