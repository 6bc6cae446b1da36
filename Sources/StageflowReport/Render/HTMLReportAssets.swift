/// The inline stylesheet and script of the HTML report: static text, so the script's CSP hash is stable.
enum HTMLReportAssets {
    static let style = """
        :root{--fg:#1f2937;--muted:#5b6472;--bg:#fff;--panel:#f6f7f9;--line:#d7dbe0;--link:#0b57d0;\
        --critical:#a4001d;--serious:#b3400a;--moderate:#7a5a00;--minor:#1d4ed8;--info:#4b5563}
        *{box-sizing:border-box}
        [hidden]{display:none!important}
        body{margin:0;font:16px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);background:var(--bg)}
        a{color:var(--link)}
        a:focus,button:focus,select:focus,input:focus,summary:focus,[tabindex]:focus{outline:3px solid var(--link);outline-offset:2px}
        .skip{position:absolute;left:-9999px}.skip:focus{left:1rem;top:1rem;background:#fff;padding:.5rem;z-index:10}
        header,main,footer{max-width:1200px;margin:0 auto;padding:1rem 1.5rem}
        header{border-bottom:1px solid var(--line)}
        h1{font-size:1.6rem;margin:.25rem 0}h2{font-size:1.35rem;margin:1.5rem 0 .75rem}h3{font-size:1.15rem;margin:1.25rem 0 .5rem}h4{font-size:1rem;margin:1rem 0 .5rem}
        .brand{margin:0;color:var(--muted);font-weight:600;letter-spacing:.05em;text-transform:uppercase;font-size:.8rem}
        .meta{color:var(--muted);margin:.25rem 0}
        .cards{display:flex;flex-wrap:wrap;gap:1rem}
        .card{background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:1rem;min-width:10rem}
        .score{font-size:2.5rem;font-weight:700;line-height:1}
        .grade{font-size:1.2rem;font-weight:700}
        .notice{border-left:4px solid var(--serious);background:#fff4ec;padding:.75rem 1rem;margin:1rem 0}
        table{border-collapse:collapse;width:100%;margin:.5rem 0}
        th,td{border:1px solid var(--line);padding:.4rem .6rem;text-align:left;vertical-align:top}
        th{background:var(--panel)}
        td.num,th.num{text-align:right}
        .bar{display:flex;height:1rem;border-radius:4px;overflow:hidden;background:var(--panel);margin:.5rem 0}
        .bar span{display:block;height:100%}
        .sev{display:inline-block;color:#fff;border-radius:4px;padding:0 .4rem;font-size:.8rem;font-weight:600}
        .sev-critical{background:var(--critical)}.sev-serious{background:var(--serious)}.sev-moderate{background:var(--moderate)}\
        .sev-minor{background:var(--minor)}.sev-info{background:var(--info)}
        .badge{display:inline-block;border:1px solid var(--line);border-radius:4px;padding:0 .35rem;font-size:.8rem;color:var(--fg);background:#fff}
        .badge-new{border-color:var(--critical);color:var(--critical);font-weight:600}
        .badge-standard{border-color:var(--link);color:var(--link)}
        ol.costs{margin:0;padding-left:1.25rem}
        details.explain{margin:.75rem 0;background:var(--panel);border:1px solid var(--line);border-radius:8px;padding:.25rem .75rem}
        details.explain>summary{cursor:pointer;font-weight:600}
        [role=tablist]{display:flex;gap:.25rem;border-bottom:2px solid var(--line);margin-top:1.5rem}
        [role=tab]{font:inherit;border:1px solid var(--line);border-bottom:none;background:var(--panel);color:var(--fg);padding:.5rem 1rem;border-radius:6px 6px 0 0;cursor:pointer}
        [role=tab][aria-selected=true]{background:#fff;border-color:var(--fg);font-weight:600}
        [role=tabpanel]{padding:.5rem 0}
        .filters{display:flex;flex-wrap:wrap;gap:1rem;align-items:end;background:var(--panel);padding:.75rem;border-radius:8px}
        .filters label{display:block;font-weight:600;font-size:.9rem}
        .filters select,.filters input{font:inherit;padding:.25rem .4rem;border:1px solid var(--muted);border-radius:4px;color:var(--fg);background:#fff}
        details.rule{border:1px solid var(--line);border-radius:8px;margin:.5rem 0;padding:.25rem .75rem}
        details.rule>summary{cursor:pointer;padding:.35rem 0}
        .rule-title{font-weight:600}
        code,pre{font-family:ui-monospace,SFMono-Regular,Menlo,Consolas,monospace;font-size:.85rem}
        pre{background:var(--panel);border:1px solid var(--line);padding:.5rem;white-space:pre-wrap;word-break:break-all}
        ol.occurrences>li{margin:.75rem 0;padding-bottom:.75rem;border-bottom:1px dashed var(--line)}
        .crop{position:relative;border:1px solid var(--line);background-repeat:no-repeat;margin:.5rem 0}
        .shot-frame{max-height:80vh;overflow:auto;border:1px solid var(--line);margin:.5rem 0}
        .shot{position:relative;width:100%;background-repeat:no-repeat;background-size:100% 100%}
        .shot-img{position:relative;display:inline-block}
        .shot-img img{display:block}
        .box{position:absolute;border:3px solid var(--info);box-shadow:0 0 0 1px #fff;pointer-events:none}
        .box-critical{border-color:var(--critical)}.box-serious{border-color:var(--serious)}.box-moderate{border-color:var(--moderate)}\
        .box-minor{border-color:var(--minor)}
        .box-label{position:absolute;top:-3px;left:-3px;transform:translateY(-100%);background:var(--fg);color:#fff;font-size:.7rem;padding:0 .25rem}
        .muted{color:var(--muted)}
        footer{border-top:1px solid var(--line);color:var(--muted);font-size:.9rem}
        """

    static let script = """
        (function(){
        var tabs=[].slice.call(document.querySelectorAll('[role="tab"]'));
        var list=document.querySelector('[role="tablist"]');
        if(!list||!tabs.length)return;
        function select(tab,focus){tabs.forEach(function(t){var on=t===tab;t.setAttribute('aria-selected',on?'true':'false');t.tabIndex=on?0:-1;document.getElementById(t.getAttribute('aria-controls')).hidden=!on;});if(focus)tab.focus();}
        tabs.forEach(function(t,i){t.addEventListener('click',function(){select(t,false);});t.addEventListener('keydown',function(e){var n=null;if(e.key==='ArrowRight')n=tabs[(i+1)%tabs.length];else if(e.key==='ArrowLeft')n=tabs[(i-1+tabs.length)%tabs.length];else if(e.key==='Home')n=tabs[0];else if(e.key==='End')n=tabs[tabs.length-1];if(n){e.preventDefault();select(n,true);}});});
        list.hidden=false;select(tabs[0],false);
        function reveal(id){var el=document.getElementById(id);if(!el)return false;var p=el.closest('[role="tabpanel"]');if(p&&p.hidden){tabs.forEach(function(t){if(t.getAttribute('aria-controls')===p.id)select(t,false);});}var d=el.closest('details');if(d)d.open=true;el.scrollIntoView();return true;}
        document.addEventListener('click',function(e){var a=e.target.closest?e.target.closest('a[href^="#"]'):null;if(!a)return;var id=decodeURIComponent(a.getAttribute('href').slice(1));if(reveal(id)){e.preventDefault();history.replaceState(null,'','#'+id);}});
        if(location.hash)reveal(decodeURIComponent(location.hash.slice(1)));
        var sev=document.getElementById('filter-severity'),text=document.getElementById('filter-text'),onlyNew=document.getElementById('filter-new'),count=document.getElementById('filter-count');
        var rules=[].slice.call(document.querySelectorAll('.rule'));
        function apply(){var min=sev?+sev.value:0,q=text?text.value.trim().toLowerCase():'',nw=onlyNew?onlyNew.checked:false,shown=0;rules.forEach(function(r){var ok=+r.getAttribute('data-rank')>=min&&(!q||r.getAttribute('data-text').indexOf(q)>=0)&&(!nw||r.getAttribute('data-new')==='true');r.hidden=!ok;if(ok)shown++;});if(count)count.textContent=shown+' of '+rules.length+' rules shown';}
        [sev,text,onlyNew].forEach(function(c){if(c){c.addEventListener('input',apply);c.addEventListener('change',apply);}});
        var f=document.getElementById('filters');if(f)f.hidden=false;apply();
        })();
        """
}
