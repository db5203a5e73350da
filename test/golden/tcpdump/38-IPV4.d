(000) ld       #0x0
(001) ldb      [9]
(002) jeq      #0x1             jt 3	jf 4
(003) ret      #262144
(004) ret      #0
