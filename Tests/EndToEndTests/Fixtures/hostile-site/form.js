document.getElementById("leave").submit();
