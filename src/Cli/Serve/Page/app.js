// The page of gct serve: the target drawn at screen size, the colour map fetched once as a .cube
// (POST /v1/lut) and applied here, so the strength slider needs no request; the full-resolution
// image comes from POST /v1/transfer with the slider's strength.
'use strict';

const $ = id => document.getElementById(id);
const view = $('view');
const maxSide = 1024;
let original = null;   // ImageData of the target at screen size
let lut = null;        // { size, table: Float32Array of size^3 RGB triples, red fastest }
let cubeText = '';

function say(text, isError) {
  $('status').textContent = text;
  $('status').classList.toggle('error', !!isError);
}

function headers() {
  const token = $('token').value.trim();
  return token ? { Authorization: 'Bearer ' + token } : {};
}

function form(extra) {
  const data = new FormData();
  data.append('target', $('target').files[0]);
  data.append('reference', $('reference').files[0]);
  for (const [k, v] of Object.entries(extra || {})) data.append(k, v);
  return data;
}

async function failure(response) {
  try {
    const problem = await response.json();
    return (problem.field ? problem.field + ': ' : '') + (problem.detail || problem.title);
  } catch {
    return 'the server answered ' + response.status;
  }
}

function parseCube(text) {
  let size = 0;
  const values = [];
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const parts = line.split(/\s+/);
    if (parts[0] === 'LUT_3D_SIZE') size = parseInt(parts[1], 10);
    else if (/^[-+.\d]/.test(parts[0])) values.push(+parts[0], +parts[1], +parts[2]);
  }
  if (!size || values.length !== 3 * size * size * size) throw new Error('the .cube answer is not a 3D LUT');
  return { size, table: Float32Array.from(values) };
}

// Trilinear lookup of (r, g, b) in [0,1] into out[0..2].
function lookup(r, g, b, out) {
  const n = lut.size, t = lut.table, s = n - 1;
  const x = r * s, y = g * s, z = b * s;
  const x0 = Math.min(Math.floor(x), s - 1), y0 = Math.min(Math.floor(y), s - 1), z0 = Math.min(Math.floor(z), s - 1);
  const fx = x - x0, fy = y - y0, fz = z - z0;
  for (let c = 0; c < 3; c++) {
    const at = (i, j, k) => t[3 * (i + n * (j + n * k)) + c];
    const c00 = at(x0, y0, z0) * (1 - fx) + at(x0 + 1, y0, z0) * fx;
    const c10 = at(x0, y0 + 1, z0) * (1 - fx) + at(x0 + 1, y0 + 1, z0) * fx;
    const c01 = at(x0, y0, z0 + 1) * (1 - fx) + at(x0 + 1, y0, z0 + 1) * fx;
    const c11 = at(x0, y0 + 1, z0 + 1) * (1 - fx) + at(x0 + 1, y0 + 1, z0 + 1) * fx;
    out[c] = (c00 * (1 - fy) + c10 * fy) * (1 - fz) + (c01 * (1 - fy) + c11 * fy) * fz;
  }
}

function render() {
  if (!original || !lut) return;
  const strength = +$('strength').value;
  $('strength-value').textContent = strength.toFixed(2);
  const src = original.data, result = new ImageData(original.width, original.height), dst = result.data, mapped = [0, 0, 0];
  for (let i = 0; i < src.length; i += 4) {
    const r = src[i] / 255, g = src[i + 1] / 255, b = src[i + 2] / 255;
    lookup(r, g, b, mapped);
    dst[i] = 255 * (r + strength * (Math.min(1, Math.max(0, mapped[0])) - r));
    dst[i + 1] = 255 * (g + strength * (Math.min(1, Math.max(0, mapped[1])) - g));
    dst[i + 2] = 255 * (b + strength * (Math.min(1, Math.max(0, mapped[2])) - b));
    dst[i + 3] = src[i + 3];
  }
  view.getContext('2d').putImageData(result, 0, 0);
  view.dataset.strength = strength.toFixed(2);
}

async function drawTarget() {
  const bitmap = await createImageBitmap($('target').files[0]);
  const scale = Math.min(1, maxSide / Math.max(bitmap.width, bitmap.height));
  view.width = Math.max(1, Math.round(bitmap.width * scale));
  view.height = Math.max(1, Math.round(bitmap.height * scale));
  const context = view.getContext('2d');
  context.drawImage(bitmap, 0, 0, view.width, view.height);
  original = context.getImageData(0, 0, view.width, view.height);
}

async function match() {
  $('match').disabled = true;
  lut = null;
  say('Matching…');
  try {
    const response = await fetch('/v1/lut', { method: 'POST', body: form(), headers: headers() });
    if (!response.ok) throw new Error(await failure(response));
    cubeText = await response.text();
    lut = parseCube(cubeText);
    await drawTarget();
    render();
    for (const id of ['strength', 'download-image', 'download-cube']) $(id).disabled = false;
    say('Matched: move the strength, then download.');
    document.body.dataset.state = 'matched';
  } catch (e) {
    say(e.message, true);
  } finally {
    $('match').disabled = !($('target').files.length && $('reference').files.length);
  }
}

function save(blob, name) {
  const link = document.createElement('a');
  link.href = URL.createObjectURL(blob);
  link.download = name;
  document.body.appendChild(link);
  link.click();
  link.remove();
  setTimeout(() => URL.revokeObjectURL(link.href), 60000);
}

async function downloadImage() {
  say('Rendering at full resolution…');
  try {
    const response = await fetch('/v1/transfer', { method: 'POST', body: form({ strength: $('strength').value, format: 'png' }), headers: headers() });
    if (!response.ok) throw new Error(await failure(response));
    save(await response.blob(), 'graded.png');
    say('Downloaded graded.png.');
  } catch (e) {
    say(e.message, true);
  }
}

for (const id of ['target', 'reference'])
  $(id).addEventListener('change', () => {
    $('match').disabled = !($('target').files.length && $('reference').files.length);
    for (const other of ['strength', 'download-image', 'download-cube']) $(other).disabled = true;
  });
$('match').addEventListener('click', match);
$('strength').addEventListener('input', render);
$('download-image').addEventListener('click', downloadImage);
$('download-cube').addEventListener('click', () => save(new Blob([cubeText], { type: 'text/plain' }), 'look.cube'));
