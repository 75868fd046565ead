/**
 * The operator's dashboard, one self-contained page on the admin listener (nothing loaded from
 * elsewhere). It holds no data itself: it asks for the admin token, keeps it for the browser tab
 * only (sessionStorage), and reads the admin API every 10 seconds: outstanding ecash per unit and
 * keyset, the Lightning balance against the sat liabilities, fees earned, pending melts, recent
 * quotes, keysets with a rotate button, and issuance against redemption per hour.
 */
export function dashboardPage(): string {
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>cashu-mint dashboard</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<style>
body{font:14px/1.45 system-ui,sans-serif;margin:0;color:#1d1d1f;background:#f5f5f7}
header{background:#1d1d1f;color:#fff;padding:.7rem 1.2rem;display:flex;gap:1rem;align-items:center}
header h1{font-size:1.05rem;margin:0;flex:1}main{padding:1rem 1.2rem;display:grid;gap:1rem;grid-template-columns:repeat(auto-fit,minmax(24rem,1fr))}
section{background:#fff;border-radius:8px;padding:.8rem 1rem;box-shadow:0 1px 2px #0001;min-width:0;overflow-x:auto}h2{font-size:.95rem;margin:0 0 .5rem}
table{border-collapse:collapse;width:100%}td,th{text-align:left;padding:.2rem .4rem;border-bottom:1px solid #eee;font-variant-numeric:tabular-nums;white-space:nowrap}td:first-child{white-space:normal;overflow-wrap:anywhere}
.ok{color:#0a7}.bad{color:#c00;font-weight:600}.muted{color:#888}button{cursor:pointer}
#login{max-width:26rem;margin:4rem auto;background:#fff;padding:1.2rem;border-radius:8px}#login input{width:100%;box-sizing:border-box;margin:.5rem 0;padding:.4rem}
.big{font-size:1.6rem;font-weight:600}svg{width:100%;height:9rem}.legend span{margin-right:1rem}
</style></head><body>
<header><h1>cashu-mint</h1><span id="updated" class="muted"></span><button id="logout" hidden>forget token</button></header>
<div id="login" hidden><h2>Admin token</h2><p class="muted">From CASHU_MINT_ADMIN_TOKEN or &lt;data dir&gt;/admin-token. Kept in this tab only.</p>
<form id="login-form"><input id="token" type="password" autocomplete="off" placeholder="admin token"><button>Open</button></form><p id="login-error" class="bad"></p></div>
<main id="board" hidden>
<section><h2>Solvency</h2><div id="solvency"></div></section>
<section><h2>Outstanding ecash and fees by unit</h2><table id="units"></table></section>
<section><h2>Pending melts</h2><div id="pending"></div></section>
<section><h2>Issuance and redemption, last 48 h</h2><div id="chart"></div></section>
<section><h2>Keysets</h2><table id="keysets"></table></section>
<section><h2>Recent mint quotes</h2><table id="mint-quotes"></table></section>
<section><h2>Recent melt quotes</h2><table id="melt-quotes"></table></section>
</main>
<script>
const $=(id)=>document.getElementById(id);
let token=sessionStorage.getItem('cashu-mint-admin-token');
const api=async(path,init={})=>{const r=await fetch(path,{...init,headers:{authorization:'Bearer '+token,'content-type':'application/json',...(init.headers||{})}});
  if(r.status===401){sessionStorage.removeItem('cashu-mint-admin-token');token=null;show();throw new Error('token refused')}
  const body=await r.json();if(!r.ok)throw new Error(body.detail||r.status);return body};
const cell=(row,values)=>{for(const v of values){const td=document.createElement('td');if(v instanceof Node)td.append(v);else td.textContent=v===null||v===undefined?'':String(v);row.append(td)}};
const fill=(table,head,rows)=>{table.textContent='';const h=table.insertRow();for(const t of head){const th=document.createElement('th');th.textContent=t;h.append(th)}
  for(const r of rows)cell(table.insertRow(),r);if(!rows.length){const e=table.insertRow();cell(e,['none']);e.className='muted'}};
const when=(s)=>new Date(Number(s)*1000).toLocaleString();
function chart(flows){const hours=[...new Set(flows.map(f=>f.hour))].sort((a,b)=>a-b);const box=$('chart');box.textContent='';
  if(!hours.length){box.textContent='no activity yet';box.className='muted';return}box.className='';
  const max=Math.max(1,...flows.flatMap(f=>[f.issued,f.redeemed]));const w=100/hours.length;
  const svg=document.createElementNS('http://www.w3.org/2000/svg','svg');svg.setAttribute('viewBox','0 0 100 50');svg.setAttribute('preserveAspectRatio','none');
  hours.forEach((h,i)=>{const at=flows.filter(f=>f.hour===h);const sum=(k)=>at.reduce((a,f)=>a+f[k],0);
    for(const [k,color,dx] of [['issued','#0a7',0],['redeemed','#c60',w/2]]){const v=sum(k);if(!v)continue;
      const r=document.createElementNS('http://www.w3.org/2000/svg','rect');const hgt=48*v/max;
      r.setAttribute('x',String(i*w+dx));r.setAttribute('width',String(w/2*0.9));r.setAttribute('y',String(50-hgt));r.setAttribute('height',String(hgt));r.setAttribute('fill',color);
      r.dataset.kind=k;r.dataset.value=String(v);const t=document.createElementNS('http://www.w3.org/2000/svg','title');t.textContent=k+' '+v+' at '+when(h);r.append(t);svg.append(r)}});
  const legend=document.createElement('div');legend.className='legend';legend.innerHTML='<span style="color:#0a7">■ issued</span><span style="color:#c60">■ redeemed</span>';box.append(svg,legend)}
async function refresh(){
  const [balance,flows,keysets,mints,melts]=await Promise.all([api('/v1/admin/balance'),api('/v1/admin/flows?hours=48'),api('/v1/admin/keysets'),api('/v1/admin/quotes?kind=mint&limit=10'),api('/v1/admin/quotes?kind=melt&limit=10')]);
  const ln=balance.lightning;const s=$('solvency');s.textContent='';
  const big=document.createElement('div');big.className='big';big.id='lightning-balance';big.textContent=ln.balance_msat===null?'node balance unknown':(ln.balance_msat/1000).toLocaleString()+' sat in channels';
  const owed=document.createElement('div');owed.id='liabilities';owed.textContent='owed in sat ecash: '+(ln.liabilities_msat/1000).toLocaleString()+' sat';
  const verdict=document.createElement('div');verdict.id='solvent';verdict.className=ln.solvent===false?'bad':'ok';verdict.textContent=ln.solvent===false?'NOT COVERED: the node cannot pay out all ecash':ln.solvent?'covered':'';
  s.append(big,owed,verdict);
  fill($('units'),['unit','outstanding','fees earned'],Object.entries(balance.units).map(([u,v])=>[u,v.outstanding,v.fees_earned]));
  $('units').querySelectorAll('tr').forEach((tr,i)=>{if(i)tr.dataset.unit=tr.cells[0].textContent});
  const pending=melts.filter(q=>q.state==='PENDING');$('pending').textContent='';
  const n=document.createElement('div');n.className=balance.pending_melts?'bad big':'ok big';n.id='pending-count';n.textContent=String(balance.pending_melts);$('pending').append(n);
  for(const q of pending){const d=document.createElement('div');d.textContent=q.id+' '+q.amount+' '+q.unit+' since '+when(q.createdAt);$('pending').append(d)}
  chart(flows);
  const rows=keysets.keysets.filter(k=>k.id.startsWith('01')||!keysets.keysets.some(o=>o.id.startsWith('01')));
  const outstandingOf=new Map(balance.keysets.map(k=>[k.keysetId,k.outstanding]));
  fill($('keysets'),['id','unit','active','fee ppk','outstanding',''],rows.map(k=>{let b='';if(k.active){b=document.createElement('button');b.textContent='rotate';b.dataset.unit=k.unit;
    b.onclick=async()=>{if(!confirm('Start a new '+k.unit+' keyset? The current one stops signing but stays valid as input.'))return;
      await api('/v1/admin/keysets/rotate',{method:'POST',body:JSON.stringify({unit:k.unit,input_fee_ppk:k.input_fee_ppk})});refresh()}}
    return [k.id.slice(0,16)+'…',k.unit,k.active?'yes':'no',k.input_fee_ppk,outstandingOf.get(k.id)??0,b]}));
  $('keysets').querySelectorAll('tr').forEach((tr,i)=>{if(i&&rows[i-1])tr.dataset.keyset=rows[i-1].id});
  fill($('mint-quotes'),['id','amount','unit','state','created'],mints.map(q=>[q.id,q.amount,q.unit,q.state,when(q.createdAt)]));
  fill($('melt-quotes'),['id','amount','unit','state','created'],melts.map(q=>[q.id,q.amount,q.unit,q.state,when(q.createdAt)]));
  $('updated').textContent='updated '+new Date().toLocaleTimeString();
}
let timer;
function show(){$('login').hidden=!!token;$('board').hidden=!token;$('logout').hidden=!token;clearInterval(timer);
  if(token){refresh().catch(e=>{$('updated').textContent=e.message});timer=setInterval(()=>refresh().catch(()=>{}),10000)}}
$('login-form').onsubmit=async(e)=>{e.preventDefault();token=$('token').value.trim();
  try{await api('/v1/admin/balance');sessionStorage.setItem('cashu-mint-admin-token',token);$('login-error').textContent='';show()}
  catch(err){$('login-error').textContent='that token was refused'}};
$('logout').onclick=()=>{sessionStorage.removeItem('cashu-mint-admin-token');token=null;show()};
show();
</script></body></html>`
}
